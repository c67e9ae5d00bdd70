#!/usr/bin/env python3
"""An external metric for qtune (docs/config.md, "Metrics"): prints top-1.

qtune runs it as `python3 top1.py OUTPUTS.npy [LABELS.npy]`: OUTPUTS is float32 [n, ...], the
model's outputs on the n validation images; LABELS is int64 [n]. Print one number, higher is
better; exit non-zero (with a message on stderr) when it cannot be computed.
"""
import sys

import numpy as np


def main(argv):
    if len(argv) < 3:
        print("top1.py needs labels: the validation split has none", file=sys.stderr)
        return 2
    outputs = np.load(argv[1])
    labels = np.load(argv[2])
    predictions = outputs.reshape(len(outputs), -1).argmax(axis=1)
    print(float((predictions == labels).mean()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
