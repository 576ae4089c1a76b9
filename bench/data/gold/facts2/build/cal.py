#!/usr/bin/env python3
"""Print relative dates for a publication date: python3 cal.py 2025-03-12"""
import sys, datetime as dt
WD = ['सोमवार','मंगलवार','बुधवार','गुरुवार','शुक्रवार','शनिवार','रविवार']
p = dt.date.fromisoformat(sys.argv[1])
D = dt.timedelta
print('published', p, WD[p.weekday()])
print('कल(past)', p-D(1), ' कल(fut)', p+D(1), ' परसों', p-D(2), '/', p+D(2))
for i, w in enumerate(WD):
    back = (p.weekday() - i) % 7 or 7
    fwd = (i - p.weekday()) % 7 or 7
    print(f'{w}: past {p-D(back)}  future {p+D(fwd)}')
mon = p - D(p.weekday())
print('this week', mon, ' last week', mon-D(7), ' next week', mon+D(7))
print('this month', p.strftime('%Y-%m'))
