/** The main navigation, in order. `planned` entries hold their place for a page that
 * comes with a later feature (the Flow Designer comes with the node framework). */

export type NavItem = { label: string; href: string; planned?: boolean };

export const NAV_ITEMS: NavItem[] = [
  { label: "Runs", href: "/runs/" },
  { label: "Deployments", href: "/deployments/" },
  { label: "Flows", href: "/flows/" },
  { label: "Schedules", href: "/schedules/" },
  { label: "Sensors", href: "/sensors/" },
  { label: "Designer", href: "/designer/", planned: true },
  { label: "Settings", href: "/settings/" },
];

/** Whether `pathname` (without the /ui base path) is inside the section `href`. */
export function isCurrentSection(pathname: string, href: string): boolean {
  const path = pathname.endsWith("/") ? pathname : `${pathname}/`;
  return path === href || path.startsWith(href);
}
