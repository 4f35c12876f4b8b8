package io.accessbridge.target;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Checks the route files before Camel builds the routes, so that a mistake Camel would report only with a
 * route id (an unknown setting in a {@code {{placeholder}}}, an endpoint of an unknown component, a bean or
 * bean method that does not exist) stops start-up with the file, line, column and reason, e.g.
 * {@code routes/forward-erpnext.camel.yaml:31:23: no bean named 'erpnextCheckin'}. YAML syntax errors are
 * reported the same way. Every mistake of every file is reported together.
 */
public final class RouteFileCheck {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+?)}}");
    private static final Set<String> URI_KEYS = Set.of("uri", "to", "from", "wireTap", "enrich", "pollEnrich");
    private static final Set<String> BEAN_KEYS = Set.of("bean", "method");

    private final Function<String, Optional<String>> settings;
    private final Function<String, Object> beans;
    private final Function<String, Boolean> components;

    /**
     * A check against the bridge's settings (by key), registry (by bean name) and known component schemes.
     */
    public RouteFileCheck(Function<String, Optional<String>> settings, Function<String, Object> beans,
                          Function<String, Boolean> components) {
        this.settings = settings;
        this.beans = beans;
        this.components = components;
    }

    /** The route files a camel-main include pattern names ({@code file:routes/*.camel.yaml}, comma-separated). */
    public static List<Path> files(String includePattern) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String p : includePattern.split(",")) {
            String pattern = p.trim();
            if (!pattern.startsWith("file:")) {
                continue;
            }
            Path glob = Path.of(pattern.substring("file:".length()));
            Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (matcher.matches(f.getFileName()) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))) {
                        out.add(f);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The mistakes in {@code files}, one line each; empty when there is none. */
    public List<String> check(List<Path> files) throws IOException {
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                LoadSettings load = LoadSettings.builder().setLabel(file.toString()).build();
                Composer composer = new Composer(load, new ParserImpl(load, new StreamReader(load, reader)));
                while (composer.hasNext()) {
                    walk(file, composer.next(), null, Set.of(), errors);
                }
            } catch (MarkedYamlEngineException e) {
                Mark m = e.getProblemMark().orElse(e.getContextMark().orElse(null));
                errors.add(at(file, m) + "not valid YAML: " + e.getProblem());
            }
        }
        return errors;
    }

    /** Throws one exception listing every mistake of {@code files}. */
    public void verify(List<Path> files) throws IOException {
        List<String> errors = check(files);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("route file errors:\n  " + String.join("\n  ", errors));
        }
    }

    /** Walks the YAML tree; {@code params} are the parameters of the enclosing route template. */
    private void walk(Path file, Node node, String key, Set<String> params, List<String> errors) {
        if (node instanceof MappingNode map) {
            if (key != null && BEAN_KEYS.contains(key)) {
                checkBean(file, map, errors);
            }
            Set<String> inner = "routeTemplate".equals(key) ? templateParameters(map) : params;
            for (NodeTuple t : map.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                walk(file, t.getValueNode(), k, inner, errors);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node child : seq.getValue()) {
                walk(file, child, key, params, errors);
            }
        } else if (node instanceof ScalarNode scalar) {
            checkPlaceholders(file, scalar, params, errors);
            if (key != null && URI_KEYS.contains(key) && params.isEmpty()) {
                checkUri(file, scalar, errors);
            }
        }
    }

    /** The parameter names of a {@code routeTemplate}: its {@code {{name}}} placeholders are not settings. */
    private static Set<String> templateParameters(MappingNode template) {
        Set<String> names = new TreeSet<>();
        for (NodeTuple t : template.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("parameters")
                    && t.getValueNode() instanceof SequenceNode list) {
                for (Node p : list.getValue()) {
                    if (p instanceof MappingNode param) {
                        for (NodeTuple pt : param.getValue()) {
                            if (pt.getKeyNode() instanceof ScalarNode pk && pk.getValue().equals("name")
                                    && pt.getValueNode() instanceof ScalarNode pv) {
                                names.add(pv.getValue());
                            }
                        }
                    }
                }
            }
        }
        return names;
    }

    private void checkPlaceholders(Path file, ScalarNode scalar, Set<String> params, List<String> errors) {
        Matcher m = PLACEHOLDER.matcher(scalar.getValue());
        while (m.find()) {
            String inner = m.group(1).trim();
            if (inner.contains(":") || inner.startsWith("?") || params.contains(inner)) {
                continue; // {{key:default}}, {{?optional}}, a function such as {{env:NAME}}, a template parameter
            }
            if (settings.apply(inner).isEmpty()) {
                errors.add(at(file, scalar.getStartMark().orElse(null)) + "unknown setting '" + inner
                        + "' (add it to config/application.properties)");
            }
        }
    }

    private void checkUri(Path file, ScalarNode scalar, List<String> errors) {
        String uri = resolve(scalar.getValue());
        if (uri == null || uri.contains("${")) {
            return;
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? uri.substring(0, colon) : uri;
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") || !components.apply(scheme)) {
            errors.add(at(file, scalar.getStartMark().orElse(null)) + "no component '" + scheme + "' for endpoint "
                    + "'" + scalar.getValue() + "'");
        }
    }

    private void checkBean(Path file, MappingNode map, List<String> errors) {
        String ref = null;
        String method = null;
        Node refNode = null;
        Node methodNode = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                if (k.getValue().equals("ref")) {
                    ref = v.getValue();
                    refNode = v;
                } else if (k.getValue().equals("method")) {
                    method = v.getValue();
                    methodNode = v;
                }
            }
        }
        if (ref == null) {
            return;
        }
        Object bean = beans.apply(ref);
        if (bean == null) {
            errors.add(at(file, refNode.getStartMark().orElse(null)) + "no bean named '" + ref + "'");
            return;
        }
        if (method != null) {
            String name = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
            boolean found = Arrays.stream(bean.getClass().getMethods()).map(Method::getName).anyMatch(name::equals);
            if (!found) {
                Set<String> known = new TreeSet<>();
                Arrays.stream(bean.getClass().getDeclaredMethods())
                        .filter(x -> java.lang.reflect.Modifier.isPublic(x.getModifiers())).forEach(x -> known.add(x.getName()));
                errors.add(at(file, methodNode.getStartMark().orElse(null)) + "bean '" + ref + "' has no method '" + name
                        + "' (it has: " + String.join(", ", known) + ")");
            }
        }
    }

    private String resolve(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = m.group(1).trim();
            int colon = inner.indexOf(':');
            Optional<String> v = settings.apply(colon < 0 ? inner : inner.substring(0, colon));
            String replacement = v.orElse(colon < 0 ? null : inner.substring(colon + 1));
            if (replacement == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String at(Path file, Mark mark) {
        return mark == null ? file + ": " : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
    }
}
