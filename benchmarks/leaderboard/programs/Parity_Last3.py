"""Parity_Last3: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 1 hidden unit;
machine read out of it: a finite-state machine with 8 states.

Registers, updated together from their old values at each step:
  last1 = x                   integer-linear regression, initially 0
  last2 = last1               integer-linear regression, initially 0
  last3 = last2               integer-linear regression, initially 0
Output, from the new register values:
  y0 = last1 ^ last2 ^ last3  Boolean regression
State coding: the last 3 inputs as the state (register lastj holds the input j − 1 steps back; 0 before the start).

Verified: the Python version, run by python3, matched the task at every step of
  held-out: 10,000 fresh sequences of length 10 (0 of them not in the training or test data): exact
  exhaustive: all 1,024 input sequences of length 10 over 0..1, and so every shorter one as a prefix: exact
Length generalisation (reported, not required):
  length-2x: 10,000 fresh sequences of length 20 (2× the training length): exact
  length-5x: 10,000 fresh sequences of length 50 (5× the training length): exact
The TypeScript version of this program gave the same outputs.
"""
import json
import sys


def run(xs):
    last1, last2, last3 = 0, 0, 0
    ys = []
    for x in xs:
        x = x[0]
        last1, last2, last3 = x, last1, last2
        ys.append([last1 ^ last2 ^ last3])
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
