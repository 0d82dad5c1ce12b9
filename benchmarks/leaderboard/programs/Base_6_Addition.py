"""Base_6_Addition: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 2 hidden units;
machine read out of it: a finite-state machine with 12 states.

Registers, updated together from their old values at each step:
  a = x0 + (x1 + int(a > 5))  formula search, initially 0
Output, from the new register values:
  y0 = a % 6                  formula search
State coding: finite states numbered breadth first, as extracted.

Verified: the Python version, run by python3, matched the task at every step of
  held-out: 10,000 fresh sequences of length 10 (10,000 of them not in the training or test data): exact
  exhaustive: all 46,656 input sequences of length 3 over 0..5 × 0..5, and so every shorter one as a prefix: exact
Length generalisation (reported, not required):
  length-2x: 10,000 fresh sequences of length 20 (2× the training length): exact
  length-5x: 10,000 fresh sequences of length 50 (5× the training length): exact
The TypeScript version of this program gave the same outputs.
"""
import json
import sys


def run(xs):
    a = 0
    ys = []
    for x in xs:
        x0, x1 = x
        a = x0 + (x1 + int(a > 5))
        ys.append([a % 6])
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
