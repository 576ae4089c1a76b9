#!/usr/bin/env python3
"""Print the annotations of articles: python3 show.py g001 [g002 ...]"""
import json, sys, os
P = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'articles.jsonl')
want = set(sys.argv[1:])
for line in open(P, encoding='utf-8'):
    a = json.loads(line)
    if want and a['id'] not in want: continue
    print(f"##### {a['id']} {a['beat']} | {a['source']} | {a['published']} | {a['title']} | {len(a['text'].split())} words")
    print(a['text'])
    print('-- quotes')
    for q in a['quotes']:
        print(f"  [{q['kind']}] {q['speaker_name'] or q['source_kind']} <{q['speaker']}> cue<{q['cue']}>: {q['content']}")
    print('-- events')
    for e in a['events']:
        print(f"  {e['cameo']} {e['modality']} {e['actor1']} -> {e['actor2']} others={e['others']} loc={e['location']} date={e['date']}/{e['date_grain']} trig={e['triggers']}")
        print(f"       ev<{e['evidence']}>")
    print('-- dates')
    for d in a['dates']:
        print(f"  <{d['text']}> {d['value']} {d['grain']} end={d['end']}")
    print()
