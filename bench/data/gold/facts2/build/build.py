#!/usr/bin/env python3
"""Build ../articles.jsonl from bNN.py batch sources. A span may be 'core||hint': the occurrence of core inside the
unique hint is widened word by word until it occurs once in the text (preferring not to cross a danda or a quote)."""
import json, re, sys, os, glob, importlib.util
HERE = os.path.dirname(os.path.abspath(__file__))
errors = []

def Q(content, kind, speaker, name, sk, cue):
    return dict(content=content, kind=kind, speaker=speaker, speaker_name=name, source_kind=sk, cue=cue)
def E(triggers, cameo, a1, a2, others, mod, loc, date, grain, evidence):
    if isinstance(triggers, str): triggers = [triggers]
    return dict(triggers=triggers, cameo=cameo, root=cameo[:2], actor1=a1, actor2=a2, others=others or [],
                modality=mod, location=loc, date=date, date_grain=grain, evidence=evidence)
def D(text, value, grain, end=None):
    return dict(text=text, value=value, grain=grain, end=end)

BAD = '।"“”‘’\''
def widen(text, pos, end):
    def ext_r(e, r):
        for _ in range(r):
            m = re.compile(r'\s*\S+').match(text, e)
            if not m: return None
            e = m.end()
        return e
    def ext_l(s, l):
        for _ in range(l):
            m = re.search(r'\S+\s*$', text[:s])
            if not m: return None
            s = m.start()
        return s
    for allow_cross in (False, True):
        for k in range(1, 15):
            for l in range(0, k + 1):
                r = k - l
                s2, e2 = ext_l(pos, l), ext_r(end, r)
                if s2 is None or e2 is None: continue
                cand = text[s2:e2].strip()
                if text.count(cand) != 1: continue
                added = text[s2:pos] + text[end:e2]
                if not allow_cross and any(ch in added for ch in BAD): continue
                return cand
    return None

def resolve(text, spec, aid, what):
    if spec is None: return None
    core, hint = (spec.split('||', 1) + [None])[:2]
    n = text.count(core)
    if n == 0:
        errors.append(f'{aid} {what}: not found {core!r}'); return core
    if hint is None:
        if n == 1: return core
        errors.append(f'{aid} {what}: {n}x and no hint {core!r}'); return core
    if text.count(hint) != 1 or core not in hint:
        errors.append(f'{aid} {what}: bad hint {hint!r} for {core!r}'); return core
    if n == 1: return core
    pos = text.find(hint) + hint.find(core)
    w = widen(text, pos, pos + len(core))
    if w is None: errors.append(f'{aid} {what}: cannot widen {core!r}'); return core
    return w

def main():
    arts = []
    for f in sorted(glob.glob(os.path.join(HERE, 'b[0-9][0-9].py'))):
        spec = importlib.util.spec_from_file_location(os.path.basename(f)[:-3], f)
        m = importlib.util.module_from_spec(spec)
        m.Q, m.E, m.D = Q, E, D
        spec.loader.exec_module(m)
        arts.extend(m.ARTS)
    out = []
    for a in arts:
        aid = a['id']; text = '\n\n'.join(p.strip() for p in a['paras'])
        qs = []
        for j, q in enumerate(a['quotes']):
            q = dict(q)
            if q['content'].endswith('।'): q['content'] = q['content'][:-1].rstrip()  # no final danda
            for k in ('content', 'speaker', 'cue'): q[k] = resolve(text, q[k], aid, f'q{j}.{k}')
            qs.append(q)
        es = []
        for j, e in enumerate(a['events']):
            e = dict(e)
            e['triggers'] = [resolve(text, t, aid, f'e{j}.trig') for t in e['triggers']]
            e['evidence'] = resolve(text, e['evidence'], aid, f'e{j}.evid')
            es.append(e)
        ds = []
        for j, d in enumerate(a['dates']):
            d = dict(d); d['text'] = resolve(text, d['text'], aid, f'd{j}.text'); ds.append(d)
        out.append(dict(id=aid, part='test', beat=a['beat'], source=a['source'], published=a['published'],
                        title=a['title'], text=text, quotes=qs, events=es, dates=ds))
    with open(os.path.join(HERE, '..', 'articles.jsonl'), 'w', encoding='utf-8') as fh:
        for a in out: fh.write(json.dumps(a, ensure_ascii=False) + '\n')
    for e in errors: print('BUILD', e)
    print(f'built {len(out)} articles, {len(errors)} build errors')
main()
