package io.gpuslicer.e2e.fuzz;

import io.gpuslicer.fuzz.FuzzReport;
import io.gpuslicer.fuzz.FuzzServers;
import io.gpuslicer.fuzz.Fuzzer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CI-sized fuzz run (fixed seed, a few thousand cases per server) over the real transports: every mutated
 * copy of a captured request gets a defined 2xx/4xx answer, none a 5xx, none hangs, and each server still
 * answers a real request afterwards. {@code ./bench fuzz.FuzzBench} runs the same at 10^6 cases per server.
 */
class FuzzTest {
    private static final long SEED = 20261126L;
    private static final int CASES = 2_500;

    private static Vertx servers;
    private static Vertx client;
    private static FuzzServers fuzz;

    @BeforeAll
    static void start() throws Exception {
        servers = Vertx.vertx();
        client = Vertx.vertx();
        fuzz = FuzzServers.start(servers);
    }

    @AfterAll
    static void stop() throws Exception {
        fuzz.close();
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        servers.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theWebhookAnswersEveryMutatedAdmissionReviewWithoutA5xxOrAHang() throws Exception {
        FuzzReport report = Fuzzer.run(client, fuzz.webhookTarget, SEED, CASES, 8);
        System.out.print(report.summary());
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.cases()).isEqualTo(CASES);
        // The mutations reach every kind of answer: placed pods, refusals, denials of bad media types.
        assertThat(report.statuses()).containsKeys(200, 400, 415);
    }

    @Test
    void theExtenderAnswersEveryMutatedSchedulerCallWithoutA5xxOrAHang() throws Exception {
        FuzzReport report = Fuzzer.run(client, fuzz.extenderTarget, SEED, CASES, 8);
        System.out.print(report.summary());
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.cases()).isEqualTo(CASES);
        assertThat(report.statuses()).containsKeys(200, 400);
    }
}
