#!/usr/bin/env python3
"""Validate /work/gold/facts4/articles.jsonl and print counts (standard library only)."""
import json, re, sys, os, datetime as dt
from collections import Counter, defaultdict

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'articles.jsonl')
if len(sys.argv) > 1: PATH = sys.argv[1]

ART_KEYS = ['id','part','beat','source','published','title','text','quotes','events','dates']
Q_KEYS = {'content','kind','speaker','speaker_name','source_kind','cue'}
E_KEYS = {'triggers','cameo','root','actor1','actor2','others','modality','location','date','date_grain','evidence'}
D_KEYS = {'text','value','grain','end'}
SOURCE_KINDS = {'unnamed_official','report','agency','document','other'}
MODALITIES = ['occurred','planned','demanded','speculative','negated']
GRAINS = ['day','week','month','year']
QMARKS = '"“”‘’\'«»'
problems, warnings = [], []
def P(aid, msg): problems.append(f'{aid}: {msg}')
def W(aid, msg): warnings.append(f'{aid}: {msg}')

def once(aid, text, s, what):
    if not isinstance(s, str) or not s:
        P(aid, f'{what} is not a non-empty string: {s!r}'); return False
    n = text.count(s)
    if n != 1:
        P(aid, f'{what} occurs {n}x in text: {s!r}'); return False
    if s != s.strip():
        P(aid, f'{what} has leading/trailing whitespace: {s!r}')
    return True

def parse_value(v, grain):
    try:
        if grain in ('day', 'week'):
            if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', v): return None
            d = dt.date.fromisoformat(v)
            if grain == 'week' and d.weekday() != 0: return 'notmonday'
            return d
        if grain == 'month':
            if not re.fullmatch(r'\d{4}-\d{2}', v): return None
            return dt.date(int(v[:4]), int(v[5:]), 1)
        if grain == 'year':
            if not re.fullmatch(r'\d{4}', v): return None
            return dt.date(int(v), 1, 1)
    except (ValueError, TypeError):
        return None
    return None

def grain_of(v):
    if not isinstance(v, str): return None
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', v): return 'day'
    if re.fullmatch(r'\d{4}-\d{2}', v): return 'month'
    if re.fullmatch(r'\d{4}', v): return 'year'
    return None

arts = []
with open(PATH, encoding='utf-8') as fh:
    for ln, line in enumerate(fh, 1):
        line = line.strip()
        if not line: continue
        try: arts.append(json.loads(line))
        except json.JSONDecodeError as e: P(f'line {ln}', f'bad JSON: {e}')

ids = Counter(a.get('id') for a in arts)
for i, n in ids.items():
    if n > 1: P(i, 'duplicate id')
if len(arts) != 20: W('set', f'{len(arts)} articles (expected 20)')
parts = Counter(a.get('part') for a in arts)
if parts['tune'] != parts['test']: W('set', f'parts unbalanced: {dict(parts)}')
bp = defaultdict(Counter)
for a in arts: bp[a.get('beat')][a.get('part')] += 1
for b, c in bp.items():
    if abs(c['tune'] - c['test']) > 1: W('set', f'beat {b} unbalanced: {dict(c)}')

for idx, a in enumerate(arts):
    aid = a.get('id', f'#{idx}')
    if list(a.keys()) != ART_KEYS:
        if set(a.keys()) != set(ART_KEYS): P(aid, f'article keys {sorted(a.keys())}')
    if not re.fullmatch(r'i\d{3}', str(aid)): P(aid, 'id must look like i001')
    elif int(aid[1:]) != idx + 1: P(aid, f'id out of order (position {idx+1})')
    if a.get('part') not in ('tune', 'test'): P(aid, f'part {a.get("part")!r}, expected tune or test')
    for k in ('beat', 'source', 'title', 'text'):
        if not isinstance(a.get(k), str) or not a.get(k).strip(): P(aid, f'{k} missing/empty')
    try:
        pub = dt.date.fromisoformat(a.get('published', ''))
        if not (2024 <= pub.year <= 2026): P(aid, 'published outside 2024-2026')
    except (ValueError, TypeError):
        P(aid, f'published not ISO date: {a.get("published")!r}'); pub = None
    text = a.get('text', '')
    paras = text.split('\n\n')
    if not (3 <= len(paras) <= 8): P(aid, f'{len(paras)} paragraphs (need 3-8)')
    if any(not p.strip() or '\n' in p for p in paras): P(aid, 'empty paragraph or stray single newline')
    nw = len(text.split())
    if not (250 <= nw <= 600): P(aid, f'{nw} words (need 250-600)')
    if not ('2024-01-01' <= a.get('published','') <= '2026-11-30'): P(aid, 'published outside 2024-01..2026-11')

    for j, q in enumerate(a.get('quotes', [])):
        tag = f'quote {j}'
        if set(q.keys()) != Q_KEYS: P(aid, f'{tag} keys {sorted(q.keys())}'); continue
        ok = once(aid, text, q['content'], f'{tag} content')
        once(aid, text, q['cue'], f'{tag} cue')
        if q['kind'] not in ('direct', 'reported'): P(aid, f'{tag} kind {q["kind"]!r}')
        if q['speaker'] is None:
            if q['speaker_name'] is not None: P(aid, f'{tag} speaker_name without speaker span')
            if q['source_kind'] not in SOURCE_KINDS: P(aid, f'{tag} null speaker needs source_kind, got {q["source_kind"]!r}')
        else:
            once(aid, text, q['speaker'], f'{tag} speaker')
            if q['source_kind'] is not None: P(aid, f'{tag} source_kind must be null when speaker named')
            if not isinstance(q['speaker_name'], str) or not q['speaker_name'].strip(): P(aid, f'{tag} speaker_name missing')
        if ok:
            c = q['content']
            if c[0] in QMARKS or c[-1] in QMARKS: P(aid, f'{tag} content includes quotation marks: {c[:30]!r}')
            p = text.find(c); before = text[max(0, p-2):p]; after = text[p+len(c):p+len(c)+3]
            quoted = any(ch in QMARKS for ch in before) and any(ch in QMARKS for ch in after)
            if q['kind'] == 'direct' and not quoted: W(aid, f'{tag} direct but not enclosed in quotation marks: {c[:40]!r}')
            if q['kind'] == 'reported' and quoted: W(aid, f'{tag} reported but enclosed in quotation marks: {c[:40]!r}')

    for j, e in enumerate(a.get('events', [])):
        tag = f'event {j}'
        if set(e.keys()) != E_KEYS: P(aid, f'{tag} keys {sorted(e.keys())}'); continue
        if not isinstance(e['triggers'], list) or not e['triggers']: P(aid, f'{tag} triggers must be a non-empty list')
        else:
            for t in e['triggers']: once(aid, text, t, f'{tag} trigger')
        if once(aid, text, e['evidence'], f'{tag} evidence') and isinstance(e['triggers'], list):
            ep = text.find(e['evidence']); ee = ep + len(e['evidence'])
            hit = False
            for t in e['triggers']:
                if isinstance(t, str) and t in text:
                    tp = text.find(t)
                    if tp < ee and tp + len(t) > ep: hit = True
            if not hit: W(aid, f'{tag} no trigger overlaps the evidence')
        c, r = e['cameo'], e['root']
        if not (isinstance(c, str) and re.fullmatch(r'\d{3}', c)): P(aid, f'{tag} cameo must be 3 digits: {c!r}')
        if not (isinstance(r, str) and re.fullmatch(r'\d{2}', r)) or not (2 <= int(r) <= 20): P(aid, f'{tag} root must be 02-20: {r!r}')
        elif isinstance(c, str) and not c.startswith(r): P(aid, f'{tag} cameo {c} does not agree with root {r}')
        if e['modality'] not in MODALITIES: P(aid, f'{tag} modality {e["modality"]!r}')
        for k in ('actor1', 'actor2', 'location'):
            if e[k] is not None and (not isinstance(e[k], str) or not e[k].strip()): P(aid, f'{tag} {k} must be string or null')
        if not isinstance(e['others'], list) or any(not isinstance(x, str) for x in e['others']): P(aid, f'{tag} others must be list of strings')
        if e['actor1'] is None and e['actor2'] is None: W(aid, f'{tag} has neither actor1 nor actor2')
        if (e['date'] is None) != (e['date_grain'] is None): P(aid, f'{tag} date and date_grain must both be null or both set')
        elif e['date'] is not None:
            g = e['date_grain']
            if g not in GRAINS: P(aid, f'{tag} date_grain {g!r}')
            else:
                v = parse_value(e['date'], g)
                if v is None: P(aid, f'{tag} date {e["date"]!r} does not parse for grain {g}')
                elif v == 'notmonday': P(aid, f'{tag} week date {e["date"]} is not a Monday')

    for j, d in enumerate(a.get('dates', [])):
        tag = f'date {j}'
        if set(d.keys()) != D_KEYS: P(aid, f'{tag} keys {sorted(d.keys())}'); continue
        once(aid, text, d['text'], f'{tag} text')
        g = d['grain']
        if g not in GRAINS: P(aid, f'{tag} grain {g!r}'); continue
        v = parse_value(d['value'], g)
        if v is None: P(aid, f'{tag} value {d["value"]!r} does not parse for grain {g}'); continue
        if v == 'notmonday': P(aid, f'{tag} week value {d["value"]} is not a Monday'); continue
        if d['end'] is not None:
            ve = parse_value(d['end'], g)
            if ve is None or ve == 'notmonday': P(aid, f'{tag} end {d["end"]!r} does not parse for grain {g}')
            elif ve <= v: P(aid, f'{tag} end {d["end"]} not after value {d["value"]}')

    # event dates should normally be one of the article's annotated date values (or derived); warn otherwise
    dvals = {(d.get('value'), d.get('grain')) for d in a.get('dates', [])}
    for j, e in enumerate(a.get('events', [])):
        if isinstance(e, dict) and e.get('date') and (e['date'], e['date_grain']) not in dvals and e['date'] != a.get('published'):
            W(aid, f'event {j} date {e["date"]}/{e["date_grain"]} is not an annotated date value')
    # quotes: content must not overlap its cue
    for j, q in enumerate(a.get('quotes', [])):
        if isinstance(q, dict) and isinstance(q.get('content'), str) and isinstance(q.get('cue'), str) and q['content'] in text and q['cue'] in text:
            c0 = text.find(q['content']); k0 = text.find(q['cue'])
            if c0 < k0 + len(q['cue']) and k0 < c0 + len(q['content']): P(aid, f'quote {j} cue overlaps content')
    # date spans should not overlap each other
    spans = sorted((text.find(d['text']), text.find(d['text']) + len(d['text'])) for d in a.get('dates', []) if isinstance(d.get('text'), str) and d['text'] in text)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if s2 < e1: P(aid, 'overlapping date spans')

# ---- counts ----
def counts(part):
    sel = [a for a in arts if a.get('part') == part]
    qs = [q for a in sel for q in a.get('quotes', [])]
    es = [e for a in sel for e in a.get('events', [])]
    ds = [d for a in sel for d in a.get('dates', [])]
    print(f'== {part}: {len(sel)} articles, {sum(len(a["text"].split()) for a in sel)} words')
    print(f'   quotes {len(qs)}: ' + ', '.join(f'{k} {v}' for k, v in sorted(Counter(q.get("kind") for q in qs).items())) +
          f'; null speaker {sum(1 for q in qs if q.get("speaker") is None)} (' +
          ', '.join(f'{k} {v}' for k, v in sorted(Counter(q.get("source_kind") for q in qs if q.get("speaker") is None).items())) + ')')
    print(f'   events {len(es)} by root: ' + ', '.join(f'{k}:{v}' for k, v in sorted(Counter(e.get("root") for e in es).items())))
    print(f'   events by modality: ' + ', '.join(f'{k} {v}' for k, v in sorted(Counter(e.get("modality") for e in es).items())) +
          f'; with date {sum(1 for e in es if e.get("date"))}; multi-mention {sum(1 for e in es if len(e.get("triggers", [])) > 1)}')
    print(f'   dates {len(ds)} by grain: ' + ', '.join(f'{k} {v}' for k, v in sorted(Counter(d.get("grain") for d in ds).items())) +
          f'; ranges {sum(1 for d in ds if d.get("end"))}')
    return len(sel), len(qs), len(es), len(ds)

tot = [0, 0, 0, 0]
for part in ('tune', 'test'):
    r = counts(part); tot = [x + y for x, y in zip(tot, r)]
print(f'== all: {tot[0]} articles, {tot[1]} quotes, {tot[2]} events, {tot[3]} dates')
for w in warnings: print('WARNING', w)
for p in problems: print('PROBLEM', p)
print(f'{len(problems)} problems, {len(warnings)} warnings')
sys.exit(1 if problems else 0)
