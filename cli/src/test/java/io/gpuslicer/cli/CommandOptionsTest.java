package io.gpuslicer.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.gpuslicer.extender.observe.PlacementEvents;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class CommandOptionsTest {

    @ParameterizedTest(name = "the {0} command refuses a malformed --policy-configmap before starting anything")
    @ValueSource(strings = {"webhook", "extender"})
    void aMalformedPolicyConfigMapIsAUsageError(String command) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GpuSlicer()).setErr(new PrintWriter(err));
        String[] args = command.equals("webhook")
                ? new String[]{"webhook", "--policy", "p.yaml", "--tls-cert", "c", "--tls-key", "k", "--policy-configmap", "no-slash"}
                : new String[]{"extender", "--policy", "p.yaml", "--snapshot", "s.json", "--policy-configmap", "no-slash"};

        int code = cli.execute(args);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--policy-configmap").contains("NAMESPACE/NAME").contains("no-slash");
    }

    @ParameterizedTest(name = "extender {0}: placement Events on = {1}")
    @org.junit.jupiter.params.provider.CsvSource({"'', true", "--placement-events, true", "--no-placement-events, false"})
    void placementEventsAreOnUnlessTurnedOff(String flag, boolean on) {
        ExtenderCommand extender = new ExtenderCommand();
        String[] args = flag.isEmpty() ? new String[]{"--policy", "p.yaml"} : new String[]{"--policy", "p.yaml", flag};
        new CommandLine(extender).parseArgs(args);
        assertThat(extender.placementEvents).isEqualTo(on);
    }

    @ParameterizedTest(name = "extender {0}: placement Events for {1}")
    @org.junit.jupiter.params.provider.CsvSource({"'', ALL", "--placement-events-for=all, ALL",
            "--placement-events-for=fallbacks, FALLBACKS", "--placement-events-for=Fallbacks, FALLBACKS"})
    void placementEventsAreForAllPlacementsUnlessFallbacksAreAsked(String flag, PlacementEvents.Scope scope) {
        ExtenderCommand extender = new ExtenderCommand();
        String[] args = flag.isEmpty() ? new String[]{"--policy", "p.yaml"} : new String[]{"--policy", "p.yaml", flag};
        new CommandLine(extender).parseArgs(args);
        assertThat(extender.placementEventsFor).isEqualTo(scope);
    }

    @org.junit.jupiter.api.Test
    void anUnknownPlacementEventScopeIsAUsageErrorThatNamesTheChoices() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new GpuSlicer()).setErr(new PrintWriter(err))
                .execute("extender", "--policy", "p.yaml", "--snapshot", "s.json", "--placement-events-for", "some");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--placement-events-for").contains("'some' is not one of: all, fallbacks");
    }
}
