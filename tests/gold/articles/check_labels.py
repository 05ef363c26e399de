"""Check the hand labels in labels*.jsonl against the articles in ../../articles.

Every ctx must occur exactly once in its article and contain text; every
period_start/period_end must be a valid ISO date with start <= end; every
row must carry exactly the devset keys. Also lists numbers in the article
bodies that no label covers, for a manual review of non-facts.
"""
import datetime, json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
ART = HERE.parent.parent / "articles"
KEYS = ["doc", "text", "ctx", "entity", "entity_type", "partner", "flow", "product", "indicator",
        "measure", "value", "unit", "qualifier", "period", "period_start", "period_end", "share_of"]
ok = True
spans = {}
for n, line in ((f"{lp.name}:{i}", l) for lp in sorted(HERE.glob("labels*.jsonl"))
                 for i, l in enumerate(open(lp, encoding="utf-8"), 1)):
    r = json.loads(line)
    if list(r) != KEYS:
        print(n, "keys differ:", list(r)); ok = False
    src = (ART / r["doc"]).read_text(encoding="utf-8")
    c = src.count(r["ctx"])
    if c != 1:
        print(n, r["doc"], f"ctx occurs {c} times:", r["ctx"]); ok = False; continue
    if r["text"] not in r["ctx"]:
        print(n, r["doc"], "text not in ctx:", r["text"], "|", r["ctx"]); ok = False; continue
    try:
        a = datetime.date.fromisoformat(r["period_start"]); b = datetime.date.fromisoformat(r["period_end"])
        assert a <= b
    except Exception as e:
        print(n, "bad period", r["period_start"], r["period_end"], e); ok = False
    if r["text"] in r["ctx"][r["ctx"].index(r["text"]) + 1:]:
        pass  # text repeated inside ctx: first occurrence used
    start = src.index(r["ctx"]) + r["ctx"].index(r["text"])
    body_start = src.index("\n---\n", 4) + 5 if src.startswith("---\n") else 0
    if start < body_start:
        print(n, "fact inside front matter"); ok = False
    spans.setdefault(r["doc"], []).append((start, start + len(r["text"])))
if "--uncovered" in sys.argv:
    for doc, ss in sorted(spans.items()):
        src = (ART / doc).read_text(encoding="utf-8")
        body_start = src.index("\n---\n", 4) + 5
        for m in re.finditer(r"\d[\d,.]*", src[body_start:]):
            s = body_start + m.start()
            if not any(a <= s < b for a, b in ss):
                print(doc, repr(src[max(0, s - 30):s + 25]))
print("OK" if ok else "ERRORS", sum(len(v) for v in spans.values()), "labels")
sys.exit(0 if ok else 1)
