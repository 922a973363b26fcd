/** The shapes the DAG views agree on: a flow's static FlowSpec as the API answers it
 * (GET /flows/{name}/versions/{version} -> flow_spec, domain/flowspec.py to_dict) and
 * the live state a run overlays on each task node.
 *
 * Shared by the Flows page (static graph) and the run detail page (live graph). */

export type FlowSpecTask = {
  id: string;
  name: string;
  function?: string;
  upstream: string[];
  mapped: boolean;
  retries?: number;
  /** seconds before each retry: one number, or one per retry */
  retry_delay_seconds?: number | number[];
  timeout_seconds?: number | null;
  executor?: string | null;
  runtime_tier?: string | null;
  memory_mb?: number | null;
  tags?: string[];
  description?: string | null;
};

export type FlowSpecParameter = {
  name: string;
  type: string; // a JSON type name ("string", "integer", "number", "boolean", "array", "object", "null") or "any"
  required: boolean;
  default: unknown;
  nullable: boolean;
};

export type FlowSpecJson = {
  name: string;
  version?: string;
  description?: string | null;
  parameters: FlowSpecParameter[];
  tasks: FlowSpecTask[];
  edges: [string, string][];
  outputs?: string[];
  namespace?: string | null;
  tags?: Record<string, string>;
  default_executor?: string | null;
  runtime_tier?: string | null;
};

/** One task node's state in a run. A mapped task is one node for all its items:
 * `total` task runs, `counts` by status (e.g. {SUCCEEDED: 3, RUNNING: 1}); `status` is
 * the node's overall status (the worst/most active of its items; see dag helpers). */
export type TaskNodeState = {
  status: string; // a TaskRunStatus value, e.g. "PENDING", "RUNNING", "SUCCEEDED", "FAILED"
  total: number;
  counts: Record<string, number>;
};

/** Props of <DagGraph> (ui/src/components/dag/DagGraph.tsx). */
export type DagGraphProps = {
  spec: FlowSpecJson;
  /** keyed by task id; absent: the static view (no run) */
  taskStates?: Record<string, TaskNodeState>;
  selectedTaskId?: string | null;
  onSelectTask?: (taskId: string) => void;
  /** CSS height of the canvas in pixels; default 480 */
  height?: number;
};
