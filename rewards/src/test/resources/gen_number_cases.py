# Generates the "generated numbers" block of equivalence-cases.tsv: pairs of number spellings whose expected
# verdict comes from Python's exact Fraction arithmetic (an independent reference). Run: python3 gen_number_cases.py
from fractions import Fraction
import random
random.seed(5)
def spell(v, style):
    if style == 0: return str(v.numerator) if v.denominator == 1 else f"\\frac{{{v.numerator}}}{{{v.denominator}}}"
    if style == 1: return f"{v.numerator}/{v.denominator}"
    if style == 2:
        # decimal if finite
        d = v.denominator
        for p in range(0, 8):
            if (10**p) % d == 0:
                s = f"{(v * 10**p).numerator}"
                neg = s.startswith('-'); s = s.lstrip('-').rjust(p + 1, '0')
                out = (s[:-p] + '.' + s[-p:]) if p else s
                return ('-' if neg else '') + out + '0' * random.randint(0, 2) if p else ('-' if neg else '') + out
        return None
    if style == 3: return f"\\dfrac{{{v.numerator}}}{{{v.denominator}}}"
rows = []
vals = [Fraction(n, d) for n, d in [(1,2),(3,4),(5,8),(-7,4),(12,5),(1,3),(2,3),(100000,1),(100001,1),(999,1000),(-1,8),(45,2)]]
for a in vals:
    for b in random.sample(vals, 4) + [a]:
        sa, sb = spell(a, random.randint(0, 3)), spell(b, random.choice([0, 2]))
        if sa and sb:
            rows.append(f"answer\t{sa}\t{sb}\t{1 if a == b else 0}")
print("# --- generated numbers (gen_number_cases.py; expected from Python Fraction)")
print("\n".join(dict.fromkeys(rows)))
