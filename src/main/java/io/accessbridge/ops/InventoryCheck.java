package io.accessbridge.ops;

import io.accessbridge.inventory.DeviceInventoryLoader;
import io.accessbridge.inventory.InventoryException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The inventory as the bridge loads it ({@link DeviceInventoryLoader}), its errors placed on their line: the line
 * of the field when the device has it, else the line where the device starts.
 */
public final class InventoryCheck {

    private static final Pattern DEVICE_ERROR = Pattern.compile("^.*?: device (?:'(.*)'|#(\\d+)): field '([^']*)': (.*)$");

    private final Map<String, String> environment;

    /** A check resolving secret references against {@code environment}. */
    public InventoryCheck(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The mistakes of {@code file}; a missing file is an empty inventory, as for the bridge. */
    public List<ConfigError> check(Path file) {
        List<ConfigError> errors = new ArrayList<>();
        try {
            new DeviceInventoryLoader(environment).load(file);
            return errors;
        } catch (InventoryException e) {
            Lines lines = Lines.of(file);
            for (String message : e.getMessage().split("\n")) {
                Matcher m = DEVICE_ERROR.matcher(message);
                if (!m.matches()) {
                    String prefix = file + ": ";
                    errors.add(new ConfigError(file.toString(), 0, 0, null,
                            message.startsWith(prefix) ? message.substring(prefix.length()) : message));
                    continue;
                }
                String device = m.group(1) != null ? "device '" + m.group(1) + "'" : "device #" + m.group(2);
                int line = lines.line(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), m.group(3));
                errors.add(new ConfigError(file.toString(), line, 0, device + ": field '" + m.group(3) + "'",
                        m.group(4)));
            }
        }
        return errors;
    }

    /** Where devices and their fields are in the file. */
    private static final class Lines {
        private final List<MappingNode> devices = new ArrayList<>();
        private final Map<String, MappingNode> byId = new HashMap<>();

        static Lines of(Path file) {
            Lines lines = new Lines();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                LoadSettings load = LoadSettings.builder().setLabel(file.toString()).build();
                Composer composer = new Composer(load, new ParserImpl(load, new StreamReader(load, reader)));
                if (composer.hasNext() && composer.next() instanceof MappingNode root) {
                    Node list = child(root, "devices");
                    if (list instanceof SequenceNode seq) {
                        for (Node d : seq.getValue()) {
                            if (d instanceof MappingNode device) {
                                lines.devices.add(device);
                                if (child(device, "id") instanceof ScalarNode id) {
                                    lines.byId.putIfAbsent(id.getValue(), device);
                                }
                            } else {
                                lines.devices.add(null);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not parseable: errors keep no line
            }
            return lines;
        }

        int line(String id, int index, String field) {
            MappingNode device = id != null ? byId.get(id) : index >= 1 && index <= devices.size() ? devices.get(index - 1) : null;
            if (device == null) {
                return 0;
            }
            Node at = device;
            Node keyNode = null;
            for (String part : field.split("\\.")) {
                if (!(at instanceof MappingNode map)) {
                    break;
                }
                NodeTuple t = tuple(map, part);
                if (t == null) {
                    break;
                }
                keyNode = t.getKeyNode();
                at = t.getValueNode();
            }
            Node where = keyNode != null ? keyNode : device;
            return where.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        }

        private static Node child(MappingNode map, String key) {
            NodeTuple t = tuple(map, key);
            return t == null ? null : t.getValueNode();
        }

        private static NodeTuple tuple(MappingNode map, String key) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t;
                }
            }
            return null;
        }
    }
}
