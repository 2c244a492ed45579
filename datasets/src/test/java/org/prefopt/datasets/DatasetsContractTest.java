package org.prefopt.datasets;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.PluginContractTest;
import org.prefopt.datasets.plugin.DatasetsPlugin;

class DatasetsContractTest extends PluginContractTest {

    @TempDir
    static Path dir;

    @Override
    protected Plugin plugin() {
        return new DatasetsPlugin();
    }

    @Override
    protected Config requiredOptions(ComponentFactory<?> factory) {
        String key = factory.slot().key() + "/" + factory.name();
        return switch (key) {
            case "dataset/gsm8k" -> path(Fixtures.write(dir, "g.jsonl",
                    "{\"question\":\"q\",\"answer\":\"1+1=2\\n#### 2\"}"));
            case "dataset/math" -> path(Fixtures.write(dir, "m.jsonl",
                    "{\"problem\":\"p\",\"level\":\"Level 1\",\"type\":\"Algebra\",\"solution\":\"\\\\boxed{2}\"}"));
            case "dataset/jsonl" -> path(Fixtures.write(dir, "j.jsonl", "{\"prompt\":\"p\",\"answer\":\"2\"}"));
            case "dataset/preference-jsonl" -> path(Fixtures.write(dir, "p.jsonl",
                    "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}"));
            case "filter/ids" -> ConfigFactory.parseMap(Map.of("include-file",
                    Fixtures.write(dir, "ids.txt", "a", "b").toString()));
            case "filter/held-out" -> ConfigFactory.parseMap(Map.of("side", "train"));
            default -> ConfigFactory.empty();
        };
    }

    private static Config path(Path p) {
        return ConfigFactory.parseMap(Map.of("path", p.toString()));
    }
}
