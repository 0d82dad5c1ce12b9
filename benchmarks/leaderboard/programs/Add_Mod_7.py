"""Add_Mod_7: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 2 hidden units;
machine read out of it: a finite-state machine with 7 states.

Registers, updated together from their old values at each step:
  a = (a + x) % 7  formula search, initially 0
Output, from the new register values:
  y0 = a           integer-linear regression
State coding: finite states numbered breadth first, as extracted.

Verified: the Python version, run by python3, matched the task at every step of
  held-out: 10,000 fresh sequences of length 10 (10,000 of them not in the training or test data): exact
  exhaustive: all 117,649 input sequences of length 6 over 0..6, and so every shorter one as a prefix: exact
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
        x = x[0]
        a = (a + x) % 7
        ys.append([a])
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
