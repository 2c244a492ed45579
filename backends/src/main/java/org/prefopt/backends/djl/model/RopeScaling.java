package org.prefopt.backends.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Llama 3.1's RoPE frequency scaling ({@code rope_scaling.rope_type = "llama3"}): wavelengths longer than
 * {@code original_max_position_embeddings / low_freq_factor} are stretched by {@code factor}, shorter than
 * {@code original / high_freq_factor} are kept, and those in between are interpolated smoothly. Computed as
 * Hugging Face's {@code _compute_llama3_parameters}.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    public static final String LLAMA3 = "llama3";

    public RopeScaling {
        if (!(factor >= 1) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalMaxPositions <= 0) {
            throw new IllegalArgumentException("llama3 rope_scaling needs factor >= 1, 0 < low_freq_factor <"
                    + " high_freq_factor and original_max_position_embeddings > 0 (got factor=" + factor
                    + ", low_freq_factor=" + lowFreqFactor + ", high_freq_factor=" + highFreqFactor
                    + ", original_max_position_embeddings=" + originalMaxPositions + ")");
        }
    }

    /** Reads a {@code rope_scaling} object: null for none or "default", else llama3, else a clear error. */
    public static RopeScaling parse(JsonNode scaling, String where) {
        if (scaling == null || scaling.isNull()) {
            return null;
        }
        String type = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals(LLAMA3)) {
            throw new IllegalArgumentException(where + ": rope_scaling type '" + type + "' is not implemented (only"
                    + " unscaled RoPE and llama3 are); remove rope_scaling only if the model is used within its"
                    + " original context length");
        }
        for (String key : new String[] {"factor", "low_freq_factor", "high_freq_factor",
                "original_max_position_embeddings"}) {
            if (!scaling.path(key).isNumber()) {
                throw new IllegalArgumentException(where + ": rope_scaling (llama3) needs a number '" + key + "'");
            }
        }
        try {
            return new RopeScaling(scaling.get("factor").asDouble(), scaling.get("low_freq_factor").asDouble(),
                    scaling.get("high_freq_factor").asDouble(), scaling.get("original_max_position_embeddings").asInt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** The scaled inverse frequency of one rotary pair, given its unscaled value. */
    public double scale(double invFreq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        if (wavelen > lowFreqWavelen) {
            return invFreq / factor;
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }

    void write(ObjectNode config) {
        ObjectNode s = config.putObject("rope_scaling");
        s.put("rope_type", LLAMA3);
        s.put("factor", factor);
        s.put("low_freq_factor", lowFreqFactor);
        s.put("high_freq_factor", highFreqFactor);
        s.put("original_max_position_embeddings", originalMaxPositions);
    }
}
