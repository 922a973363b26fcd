/** The lines of a 422 worth showing under a form: the API's message comes first (the
 * ErrorNote), then each problem in its `details`, which is either a list of request
 * validation errors ({loc, msg}) or a list of parameter problems (strings). Shared by the
 * schedule and sensor forms (SubmitError in components/forms). */

import { ApiError } from "@/lib/apiCall";

export function problemsOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  const lines = error.details.flatMap((item: unknown): string[] => {
    if (typeof item === "string") return [item];
    if (item && typeof item === "object") {
      const { loc, msg } = item as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.filter((part) => part !== "body").join(".") : "";
      if (typeof msg === "string") return [where ? `${where}: ${msg}` : msg];
    }
    return [];
  });
  // the message already says the first problem; repeat it only when there are several
  return lines.length === 1 && error.message.includes(lines[0]!) ? [] : lines;
}
