"""The report's page shell and stylesheet, kept as Python strings so the installed package carries
them and the written file needs nothing beside itself."""

from __future__ import annotations

STYLE = """
:root { --fg: #1d2329; --muted: #5b6670; --line: #d9dee3; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       margin: 0 auto; max-width: 1500px; padding: 1.2rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.sub, .muted { color: var(--muted); }
nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
.warn { background: #fff6dd; border-left: 4px solid #e0a800; padding: .5rem .8rem;
        margin: .6rem 0; }
.warn li { margin: .15rem 0; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: right;
         white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f5f7; position: sticky; top: 0; }
.scroll { overflow-x: auto; }
figure { margin: .5rem 0 1rem; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: .3rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; min-width: 260px; }
.card h3 { margin-top: 0; }
.card dl { display: grid; grid-template-columns: auto auto; gap: .1rem .8rem; margin: 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
details { border: 1px solid var(--line); border-radius: 5px; margin: .3rem 0;
          padding: .3rem .6rem; }
details > summary { cursor: pointer; font-weight: 600; }
details details > summary { font-weight: 500; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f8fa; padding: .5rem;
      border-radius: 4px; max-height: 28rem; overflow-y: auto; font-size: 12px; }
.ok { color: #1e7a34; } .bad { color: #b3261e; }
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
{body}
</body>
</html>
"""
