"""How long the relationship map of an account takes to open in Debian's Chromium (1400x900).

    python -m tests.map_timing http://127.0.0.1:8000 TOKEN A00182 --runs 7

Signs in with TOKEN; then, each run, opens the accounts list and follows a link to the account
(a hash change, as a click would) and times until the map is fetched, laid out and drawn (the
map's `data-ready`). All runs share one browser: the first fetches and compiles the vendored
libraries (cold), the others find them in the browser's cache, as a returning user does.
Prints each run, the median of the warm ones and the zoom the map opened at.
"""

from __future__ import annotations

import argparse
import statistics

from playwright.sync_api import sync_playwright

TIME_OPEN = """(account) => new Promise((resolve) => {
  const t0 = performance.now();
  const watch = new MutationObserver(() => {
    const stage = document.querySelector('[data-testid=map-svg][data-ready]');
    if (!stage) return;
    watch.disconnect();
    resolve([performance.now() - t0, Number(stage.dataset.layoutMs), Number(stage.dataset.zoom)]);
  });
  watch.observe(document.body, { subtree: true, attributes: true, childList: true });
  location.hash = `#/accounts/${encodeURIComponent(account)}`;
})"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("account")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    opened, drawn, zoom = [], [], 0.0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(f"{args.base}/#token={args.token}")
        for _ in range(args.runs):
            page.goto(f"{args.base}/#/accounts")
            page.reload()  # a fresh page: nothing compiled, only the HTTP cache kept
            page.wait_for_selector("[data-testid=accounts-table]")
            total, layout, zoom = page.evaluate(TIME_OPEN, args.account)
            opened.append(total)
            drawn.append(layout)
        browser.close()
    warm = opened[1:] or opened
    print(f"open to laid out (ms): cold {opened[0]:.0f}; warm {[round(t) for t in warm]}, "
          f"median {statistics.median(warm):.0f}")
    print(f"of which layout and drawing (ms): {[round(t) for t in drawn]}")
    print(f"zoom on open: {zoom:.2f}")


if __name__ == "__main__":
    main()
