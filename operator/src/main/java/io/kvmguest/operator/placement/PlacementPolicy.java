package io.kvmguest.operator.placement;

/**
 * How to choose among nodes that fit. SPREAD (default) picks the node with the most free memory,
 * keeping load even; PACK picks the one with the least free memory that still fits, keeping whole
 * nodes free. Ties go to the node whose name sorts first, so placement is deterministic.
 */
public enum PlacementPolicy { SPREAD, PACK }
