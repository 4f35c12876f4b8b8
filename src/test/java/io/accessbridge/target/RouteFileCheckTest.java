package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFileCheckTest {

    @TempDir
    Path dir;

    private final RouteFileCheck check = new RouteFileCheck(
            key -> Optional.ofNullable(Map.of("bridge.x.url", "http://x", "bridge.x.queue", "q").get(key)),
            name -> name.equals("good") ? new EventKinds() : null,
            scheme -> Set.of("jms", "http", "direct", "v3-poll").contains(scheme));

    @Test
    void theShippedRouteFilesNeedOnlyKnownSettingsAndComponents() throws Exception {
        List<Path> files = RouteFileCheck.files("file:routes/*.camel.yaml");
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("forward-erpnext.camel.yaml",
                "target-delivery.camel.yaml");
    }

    @Test
    void reportsEachMistakeWithFileLineAndColumn() throws Exception {
        Path f = Files.writeString(dir.resolve("r.camel.yaml"), """
                - route:
                    from:
                      uri: "jms:queue:{{bridge.x.queue}}"
                      steps:
                        - to: "{{bridge.x.url}}/a"
                        - to: "{{bridge.x.nope}}"
                        - to: "{{bridge.x.nope:http://default}}"
                        - to: "smtp://mail"
                        - bean:
                            ref: good
                            method: "matches(${header.k}, '*')"
                        - bean:
                            ref: good
                            method: nosuch
                        - filter:
                            method:
                              ref: missing
                """);
        assertThat(check.check(List.of(f))).containsExactly(
                f + ":6:15: unknown setting 'bridge.x.nope' (add it to config/application.properties)",
                f + ":8:15: no component 'smtp' for endpoint 'smtp://mail'",
                f + ":14:21: bean 'good' has no method 'nosuch' (it has: matches)",
                f + ":17:20: no bean named 'missing'");
    }

    @Test
    void templateParametersAreNotSettingsAndSyntaxErrorsHaveALine() throws Exception {
        Path template = Files.writeString(dir.resolve("t.camel.yaml"), """
                - routeTemplate:
                    id: dev
                    parameters:
                      - name: deviceId
                    route:
                      from:
                        uri: "v3-poll:{{deviceId}}"
                        steps:
                          - to: direct:x
                """);
        Path broken = Files.writeString(dir.resolve("b.camel.yaml"), "- route:\n    from: [a\n    id: x\n");
        List<String> errors = check.check(List.of(template, broken));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith(broken + ":").contains("not valid YAML");
    }
}
