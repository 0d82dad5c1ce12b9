"""Perfect_Square_Detector: a program of formulas

Synthesized by mips (seed 0) from a recurrent network with 1 hidden unit;
machine read out of it: a finite-state machine with 2 states.

Registers, updated together from their old values at each step:
  last1 = x                                                    integer-linear regression, initially -1
Output, from the new register values:
  y0 = 1 - ((last1 >= 2) & ((x != 4) & (x != 9) & (x != 16)))  Boolean regression
State coding: the last 1 input as the state (register lastj holds the input j − 1 steps back; -1 before the start).

Verified: the Python version, run by python3, matched the task at every step of
  held-out: 10,000 fresh sequences of length 10 (10,000 of them not in the training or test data): exact
  exhaustive: all 160,000 input sequences of length 4 over 0..19, and so every shorter one as a prefix: exact
Length generalisation (reported, not required):
  length-2x: 10,000 fresh sequences of length 20 (2× the training length): exact
  length-5x: 10,000 fresh sequences of length 50 (5× the training length): exact
The TypeScript version of this program gave the same outputs.
"""
import json
import sys


def run(xs):
    last1 = -1
    ys = []
    for x in xs:
        x = x[0]
        last1 = x
        ys.append([1 - ((last1 >= 2) & ((x != 4) & (x != 9) & (x != 16)))])
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
