package org.prefopt.launcher.training.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prefopt.api.data.Example;

/** Small example pools for the loop and evaluation tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code n} examples q0..q(n-1): gold answer i mod 4, difficulty 1 + i mod 3, every third one "short". */
    public static List<Example> pool(String prefix, int n) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Example(prefix + i, "what is " + prefix + i + "?", Integer.toString(i % 4), null,
                    1 + i % 3, null, "fixture:" + (i + 1), i % 3 == 0 ? Map.of("short", "yes") : Map.of()));
        }
        return out;
    }
}
