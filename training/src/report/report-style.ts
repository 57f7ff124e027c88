/** The report's whole style sheet (inline: the page loads nothing). */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #dde2ea; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid var(--line); }
p { margin: 6px 0 10px; max-width: 78ch; }
.lead { color: var(--muted); }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
figure { margin: 12px 0 18px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; max-width: 90ch; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child, th.l, td.l { text-align: left; }
tr.group td { border-top: 1px solid #b9c0cc; }
thead th { border-bottom: 2px solid var(--ink); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f1f3f6; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.note { background: #fff8e1; border-left: 3px solid #f2b600; padding: 8px 12px; }
footer { margin-top: 36px; color: var(--muted); font-size: 13px; }
`
