// Types for zxcvbn-estimator.mjs (plain JavaScript so that a worker runs it without a loader).
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export function buildEstimator(): ZxcvbnFactory;
