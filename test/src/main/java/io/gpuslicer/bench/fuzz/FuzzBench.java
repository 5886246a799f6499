package io.gpuslicer.bench.fuzz;

import io.gpuslicer.fuzz.FuzzCase;
import io.gpuslicer.fuzz.FuzzReport;
import io.gpuslicer.fuzz.FuzzServers;
import io.gpuslicer.fuzz.FuzzTarget;
import io.gpuslicer.fuzz.Fuzzer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.charset.StandardCharsets;

/**
 * {@code ./bench fuzz.FuzzBench [casesPerServer] [seed] [inFlight]}: both servers in-process, fed
 * {@code casesPerServer} (default 1,000,000) seeded mutations of the captured request bodies each, over
 * HTTPS (webhook) and HTTP (extender). Prints cases/s, the count of each status code and the verdict
 * (0 x 5xx, 0 hangs, 0 crashes); exits 1 when a server fails it.
 * {@code ./bench fuzz.FuzzBench case webhook|extender SEED INDEX} prints one case's request, to reproduce it.
 */
public final class FuzzBench {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("case")) {
            printCase(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
            return;
        }
        long cases = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 11;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        // Servers and client on separate Vert.x instances, so the client never starves the servers' event loops.
        Vertx servers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        boolean passed = true;
        try (FuzzServers fuzz = FuzzServers.start(servers)) {
            System.out.printf("fuzz: %,d cases per server, seed %d, %d in flight, %d cores shared by client and servers%n",
                    cases, seed, inFlight, Runtime.getRuntime().availableProcessors());
            for (FuzzTarget target : new FuzzTarget[]{fuzz.webhookTarget, fuzz.extenderTarget}) {
                FuzzReport report = Fuzzer.run(client, target, seed, cases, inFlight, Math.max(1, cases / 10));
                System.out.print(report.summary());
                passed &= report.passed();
            }
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get();
            servers.close().toCompletionStage().toCompletableFuture().get();
        }
        System.out.println(passed ? "fuzz: PASS" : "fuzz: FAIL");
        System.exit(passed ? 0 : 1);
    }

    private static void printCase(String server, long seed, long index) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FuzzServers fuzz = FuzzServers.start(vertx)) {
            FuzzTarget target = server.equals("webhook") ? fuzz.webhookTarget : fuzz.extenderTarget;
            FuzzCase c = Fuzzer.generate(target, seed, index);
            System.out.println(c);
            System.out.println(new String(c.body(), StandardCharsets.UTF_8));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
