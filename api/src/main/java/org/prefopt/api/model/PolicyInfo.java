package org.prefopt.api.model;

/** What a policy is, for logs and reports. */
public record PolicyInfo(String name, long parameters, long trainableParameters, String device, String dtype) {
}
