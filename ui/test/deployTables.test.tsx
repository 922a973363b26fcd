import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { DeploymentsTable } from "@/components/deployments/DeploymentsTable";
import { ParametersTable } from "@/components/deployments/ParametersTable";
import { Sparkline } from "@/components/deployments/Sparkline";
import type { DeploymentView } from "@/lib/deployments/queries";

const deployment = (over: Partial<DeploymentView>): DeploymentView => ({
  deployment_name: "etl-daily", flow_name: "etl_pipeline", flow_version: "1.2.0", schedule: "0 6 * * *",
  default_executor: null, default_runtime_tier: null, tags: { team: "data" }, parameters: {},
  status: "ACTIVE", environment: "production", promoted_from: null,
  created_at: "2026-12-02T15:04:00.000000Z", updated_at: "2026-12-02T15:04:00.000000Z", ...over,
});

describe("DeploymentsTable", () => {
  it("shows each deployment with a link to its detail page and its status in words", () => {
    const html = renderToStaticMarkup(
      <DeploymentsTable deployments={[deployment({}), deployment({ deployment_name: "etl dev", status: "PAUSED", schedule: null, tags: {} })]} />,
    );
    for (const header of ["Name", "Flow", "Version", "Environment", "Status", "Schedule", "Tags", "Updated"]) {
      expect(html).toContain(`<th scope="col" class="py-2 pr-4">${header}</th>`);
    }
    // next/link outside the app router drops the trailing slash that trailingSlash keeps
    expect(html).toMatch(/href="\/deployments\/detail\/?\?name=etl-daily"/);
    expect(html).toMatch(/href="\/deployments\/detail\/?\?name=etl%20dev"/);
    expect(html).toContain(">Active</span>");
    expect(html).toContain(">Paused</span>");
    expect(html).toContain("0 6 * * *");
    expect(html).toContain("team=data");
    expect(html).toContain("production");
  });
});

describe("ParametersTable", () => {
  it("lists name, type, required, default, nullable and the deployment's value", () => {
    const html = renderToStaticMarkup(
      <ParametersTable
        parameters={[
          { name: "rows", type: "integer", required: false, default: 10, nullable: false },
          { name: "date", type: "string", required: true, default: null, nullable: true },
        ]}
        deploymentParameters={{ rows: 5 }}
      />,
    );
    expect(html).toContain("<caption");
    expect(html).toContain('<th scope="row" class="py-2 pr-4 font-mono text-xs font-medium">rows</th>');
    expect(html).toMatch(/>integer<\/td><td[^>]*>No<\/td><td[^>]*>10<\/td><td[^>]*>No<\/td><td[^>]*>5<\/td>/);
    expect(html).toMatch(/>string<\/td><td[^>]*>Yes<\/td><td[^>]*>—<\/td><td[^>]*>Yes<\/td><td[^>]*>—<\/td>/);
  });
  it("says so when the flow takes no parameters", () => {
    expect(renderToStaticMarkup(<ParametersTable parameters={[]} deploymentParameters={{}} />)).toContain(
      "takes no parameters",
    );
  });
});

describe("Sparkline", () => {
  it("is one image whose label says what it shows, with no inline style", () => {
    const html = renderToStaticMarkup(<Sparkline durations={[500, 2000]} />);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Durations of the last 2 finished runs, oldest first: from 500 ms to 2.0 s, latest 2.0 s."');
    expect(html).toContain("<polyline");
    expect(html).not.toContain("style=");
  });
  it("is a sentence when there is nothing to chart", () => {
    const html = renderToStaticMarkup(<Sparkline durations={[]} />);
    expect(html).not.toContain("<svg");
    expect(html).toContain("No finished runs to chart yet.");
  });
});
