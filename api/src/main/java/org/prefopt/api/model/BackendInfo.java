package org.prefopt.api.model;

/** Where and how tensors are computed. */
public record BackendInfo(String engine, String engineVersion, String device, String dtype, int threads) {
}
