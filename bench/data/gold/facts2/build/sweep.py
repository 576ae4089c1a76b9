#!/usr/bin/env python3
"""Corpus sweep: words that often signal quotes, events or dates but are not covered by any annotated span."""
import json, re, os, sys
P = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'articles.jsonl')
WORDS = ['कहा', 'बताया', 'मुताबिक', 'अनुसार', 'आरोप', 'मांग', 'अपील', 'बैठक', 'मुलाकात', 'गिरफ्तार', 'हिरासत', 'प्रदर्शन',
         'धरना', 'हड़ताल', 'निंदा', 'स्वागत', 'चेतावनी', 'भरोसा', 'आश्वासन', 'दौरा', 'पहुंच', 'फोन', 'जांच', 'छापे', 'हमला', 'हमले',
         'प्रतिबंध', 'निलंबित', 'रिहा', 'समझौत', 'वादा', 'दावा', 'लिखा', 'बयान', 'मानना', 'कहना', 'सूत्र', 'रिपोर्ट',
         'कल', 'परसों', 'आज', 'हफ्ते', 'महीने', 'साल', 'सोमवार', 'मंगलवार', 'बुधवार', 'गुरुवार', 'शुक्रवार', 'शनिवार', 'रविवार',
         'जनवरी', 'फरवरी', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुलाई', 'अगस्त', 'सितंबर', 'अक्टूबर', 'नवंबर', 'दिसंबर']
want = set(sys.argv[1:])
for line in open(P, encoding='utf-8'):
    a = json.loads(line)
    if want and a['id'] not in want: continue
    t = a['text']; cov = [False] * len(t)
    spans = [q[k] for q in a['quotes'] for k in ('content', 'cue', 'speaker') if q[k]]
    spans += [x for e in a['events'] for x in e['triggers'] + [e['evidence']]]
    spans += [d['text'] for d in a['dates']]
    for s in spans:
        i = t.find(s)
        for j in range(i, i + len(s)): cov[j] = True
    for w in WORDS + [r'\d{4}']:
        for m in re.finditer(w, t):
            if not any(cov[m.start():m.end()]):
                ctx = t[max(0, m.start()-30):m.end()+30].replace('\n', ' ')
                print(f"{a['id']} {w}: …{ctx}…")
