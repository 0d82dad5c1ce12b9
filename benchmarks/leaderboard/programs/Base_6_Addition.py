"""Base_6_Addition: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 2 hidden units;
machine read out of it: a finite-state machine with 12 states.

Registers, updated together from their old values at each step:
  a = (a + (x0 + x1)) // 6  formula search, initially 0
  b = (a + (x0 + x1)) % 6   formula search, initially 3
Output, from the new register values:
  y0 = b                    integer-linear regression
State coding: finite states coded as (block, output): block of a closed partition of 2 blocks (numbered breadth first) and the output value.

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
    a, b = 0, 3
    ys = []
    for x in xs:
        x0, x1 = x
        a, b = (a + (x0 + x1)) // 6, (a + (x0 + x1)) % 6
        ys.append([b])
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
