"""Newton_Magnetic: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 4 hidden units;
machine read out of it: an integer lattice of rank 4 (linear construction).

Registers, updated together from their old values at each step:
  a = a - c - x1  integer-linear regression, initially 0
  b = b + x0      integer-linear regression, initially 0
  c = a + c + x0  integer-linear regression, initially 0
  d = d + x1      integer-linear regression, initially 0
Output, from the new register values:
  y0 = c - a - d  integer-linear regression
  y1 = b - a - c  integer-linear regression
State coding: lattice codes as extracted.

Verified: the Python version, run by python3, matched the task at every step of
  held-out: 10,000 fresh sequences of length 10 (10,000 of them not in the training or test data): exact
  exhaustive: all 194,481 input sequences of length 2 over -10..10 × -10..10, and so every shorter one as a prefix: exact
Length generalisation (reported, not required):
  length-2x: 10,000 fresh sequences of length 20 (2× the training length): exact
  length-5x: 10,000 fresh sequences of length 50 (5× the training length): exact
The TypeScript version of this program gave the same outputs.
"""
import json
import sys


def run(xs):
    a, b, c, d = 0, 0, 0, 0
    ys = []
    for x in xs:
        x0, x1 = x
        a, b, c, d = a - c - x1, b + x0, a + c + x0, d + x1
        ys.append([c - a - d, b - a - c])
    return ys


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        data = json.loads(line)
        steps = data["x"] if isinstance(data, dict) else data
        steps = [step if isinstance(step, list) else [step] for step in steps]
        print(json.dumps(run(steps), separators=(",", ":")))


if __name__ == "__main__":
    main()
