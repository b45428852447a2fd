// Whether the page is going away (a reload, or a navigation to another page). The browser then
// aborts the fetches in flight, and Firefox still runs the page's scripts long enough for the
// load that needed them to fail ("NetworkError when attempting to fetch resource") and reach the
// page as an uncaught error: a spurious one, as the page is gone a moment later (the dev
// server's reload after a rebuild hits it). A load that fails after `beforeunload` therefore
// rejects only if the page is still there GRACE_MS later (the navigation was cancelled, or is
// very slow): the error is then real, and the caller gets it. Cleared by `pageshow` (a page
// restored from the back/forward cache); never set in a Worker.
let unloading = false;
const GRACE_MS = 5000;
const g = globalThis as { addEventListener?: (type: string, f: () => void) => void; document?: unknown };
if (typeof g.addEventListener === "function" && g.document !== undefined) {
  for (const type of ["beforeunload", "pagehide"]) g.addEventListener(type, () => void (unloading = true));
  g.addEventListener("pageshow", () => void (unloading = false));
}

/** `p`, except that a rejection while the page is unloading is delayed by GRACE_MS. */
export function unlessUnloading<T>(p: Promise<T>): Promise<T> {
  return p.catch((e) => {
    if (!unloading) throw e;
    return new Promise<T>((_, reject) => setTimeout(() => reject(e), GRACE_MS));
  });
}
