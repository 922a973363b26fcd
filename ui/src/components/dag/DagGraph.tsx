"use client";

/** A flow's DAG drawn with @xyflow/react on positions from ELK (lib/dag/layout.ts):
 * the static view of a flow version, or a run's live view with each task's state.
 *
 * Built to stay smooth at 1,000 tasks: the layout runs once per spec shape; the edges
 * are one memoised array per layout; a state update rebuilds only the node objects
 * whose state (or selection) changed, the others keep their object so neither
 * xyflow nor the memoised TaskNode redraws them; big graphs render only what is in
 * view and get a MiniMap. Nodes are buttons: click, Enter or Space selects a task. */

import "@xyflow/react/dist/style.css";
import "./dag.css";

import {
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStoreApi,
  type Edge,
} from "@xyflow/react";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";

import { buildDagModel, NODE_HEIGHT, NODE_WIDTH, nodeTitle, sameState, statusLook } from "@/lib/dag/graph";
import { layoutKey, layoutSpec, type DagLayout } from "@/lib/dag/layout";
import type { DagGraphProps, TaskNodeState } from "@/lib/dag/types";
import { messageOf } from "@/lib/apiCall";

import { ErrorNote } from "../ErrorNote";

import { TaskNode, type TaskFlowNode } from "./TaskNode";
import { DagLegend } from "./DagLegend";

/** From this many tasks on: render only the visible part, show a MiniMap. */
export const BIG_GRAPH = 150;

const NODE_TYPES = { task: TaskNode };
const EDGE_STYLE = { stroke: "#64748b", strokeWidth: 1.5 };
const MARKER = { type: MarkerType.ArrowClosed, color: "#64748b", width: 16, height: 16 };
const FIT_VIEW = { padding: 0.08, maxZoom: 1.2 };
const PRO = { hideAttribution: false };
/** xyflow turns pointer events off on nodes that are neither selectable nor draggable */
const NODE_STYLE = { pointerEvents: "all" as const };

export function DagGraph(props: DagGraphProps) {
  const key = useMemo(() => layoutKey(props.spec), [props.spec]);
  const [laidOut, setLaidOut] = useState<{ key: string; layout: DagLayout } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const spec = props.spec;

  useEffect(() => {
    let live = true;
    setError(null);
    layoutSpec(spec).then(
      (layout) => live && setLaidOut({ key, layout }),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
    // the layout depends on the shape only: a new object of the same shape is no new layout
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const height = props.height ?? 480;
  // its height is fixed, so it is laid out and painted apart from the page (contain:
  // strict): 1,000 nodes changing state do not make the browser lay out the page again
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (frame.current) frame.current.style.height = `${height}px`; // set from JS: the CSP has no inline styles
  }, [height]);

  let body;
  if (error) body = <ErrorNote message={`The graph could not be laid out: ${messageOf(error)}`} />;
  else if (!laidOut || laidOut.key !== key) body = <p className="p-4 text-sm text-slate-700">Laying out the graph…</p>;
  else if (spec.tasks.length === 0) body = <p className="p-4 text-sm text-slate-700">This flow has no tasks.</p>;
  else
    body = (
      <ReactFlowProvider key={key}>
        <DagCanvas {...props} layout={laidOut.layout} />
      </ReactFlowProvider>
    );

  return (
    <section aria-label={`Task graph of ${spec.name}`} className="flex flex-col gap-2">
      <div ref={frame} className="h-[480px] overflow-hidden rounded border border-slate-300 bg-slate-50 [contain:strict]" data-testid="dag-graph">
        {body}
      </div>
      <p className="text-xs text-slate-700">
        {spec.tasks.length} task{spec.tasks.length === 1 ? "" : "s"}. Select a task (click, or Tab to it and press Enter) to
        see its details; drag to pan, scroll or use the buttons to zoom.
      </p>
      {props.taskStates !== undefined && <DagLegend />}
    </section>
  );
}

function DagCanvas({ spec, taskStates, selectedTaskId, onSelectTask, layout }: DagGraphProps & { layout: DagLayout }) {
  const model = useMemo(() => buildDagModel(spec), [spec]); // names and options: from this spec, not the kept layout
  const big = model.nodes.length >= BIG_GRAPH;
  const flowId = useId().replace(/[^A-Za-z0-9_-]/g, ""); // an id safe in CSS and SVG url(#...)

  const onSelectRef = useRef(onSelectTask);
  useEffect(() => {
    onSelectRef.current = onSelectTask;
  }, [onSelectTask]);
  const select = useCallback((taskId: string) => onSelectRef.current?.(taskId), []);

  const flow = useReactFlow();
  const store = useStoreApi();
  const focusNode = useCallback(
    (taskId: string) => {
      const position = layout.positions[taskId];
      if (!position) return;
      const { transform, width, height } = store.getState();
      const [tx, ty, zoom] = transform;
      const left = position.x * zoom + tx;
      const top = position.y * zoom + ty;
      const inView = left >= 0 && top >= 0 && left + NODE_WIDTH * zoom <= width && top + NODE_HEIGHT * zoom <= height;
      if (inView && zoom >= 0.5) return;
      void flow.setCenter(position.x + NODE_WIDTH / 2, position.y + NODE_HEIGHT / 2, { zoom: Math.max(zoom, 0.8) });
    },
    [flow, store, layout],
  );

  const kept = useRef(new Map<string, TaskFlowNode>());
  const nodes = useMemo(() => {
    const next = new Map<string, TaskFlowNode>();
    const out: TaskFlowNode[] = [];
    for (const node of model.nodes) {
      const position = layout.positions[node.id] ?? { x: 0, y: 0 };
      const state: TaskNodeState | null | undefined = taskStates === undefined ? undefined : (taskStates[node.id] ?? null);
      const selected = node.id === selectedTaskId;
      const title = nodeTitle(node, state ?? undefined);
      const hint = node.task.function || undefined;
      const before = kept.current.get(node.id);
      const same =
        before &&
        before.position === position &&
        before.data.selected === selected &&
        before.data.title === title &&
        before.data.hint === hint &&
        (before.data.state === state || (!!before.data.state && !!state && sameState(before.data.state, state)));
      const flowNode: TaskFlowNode = same
        ? before
        : {
            id: node.id,
            type: "task",
            position,
            width: NODE_WIDTH,
            height: NODE_HEIGHT,
            draggable: false,
            selectable: false,
            connectable: false,
            focusable: false,
            style: NODE_STYLE,
            data: { title, mapped: node.mapped, state, selected, hint, onSelect: select, onFocusNode: focusNode },
          };
      next.set(node.id, flowNode);
      out.push(flowNode);
    }
    kept.current = next;
    return out;
  }, [model, layout, taskStates, selectedTaskId, select, focusNode]);

  const edges = useMemo<Edge[]>(
    () =>
      model.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        focusable: false,
        selectable: false,
        style: EDGE_STYLE,
        markerEnd: MARKER,
      })),
    [model],
  );

  // the static view has no states: its nodes in one colour that shows on the MiniMap's white
  const nodeColor = useCallback(
    (node: TaskFlowNode) => (node.data.state === undefined ? "#64748b" : statusLook(node.data.state?.status).fill),
    [],
  );

  return (
    <ReactFlow<TaskFlowNode, Edge>
      id={`dag-${flowId}`}
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      fitView
      fitViewOptions={FIT_VIEW}
      minZoom={0.02}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      onlyRenderVisibleElements={big}
      proOptions={PRO}
    >
      <Controls showInteractive={false} />
      {big && <MiniMap<TaskFlowNode> pannable zoomable nodeColor={nodeColor} ariaLabel="Overview of the whole graph" />}
    </ReactFlow>
  );
}
