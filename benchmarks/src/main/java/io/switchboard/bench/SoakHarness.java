package io.switchboard.bench;

import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.testkit.ChannelAuthStandIn;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import io.switchboard.testkit.pipeline.OutboxFeed;
import io.switchboard.testkit.pipeline.Pipeline;
import io.switchboard.testkit.pipeline.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The soak (issue 17, docs/benchmarks.md): the pipeline as processes into Soketi, {@code -Drate} (5,000) outbox rows
 * a second (one commit per row, {@code -Dwriters} (8) connections, {@code -Daggregates} (500)) for
 * {@code -Dminutes} (10). Every 10 s it samples each service's heap after its last collection (from its GC log),
 * its RSS, its longest GC pause since the last sample, and the router's and the publisher's consumer lag; it plots
 * heap and RSS in {@code soak.png}. At the end: every event's PUBLISHED receipt in the ledger (lost, repeated), a
 * pusher-js client's count on ten aggregates' channels, and per service the heap after GC in the run's first and
 * last thirds (after the first minute) with the slope in MB per minute. The target: each service within its 256 MB
 * heap (-Xmx256m), and a heap after GC that does not grow.
 */
public final class SoakHarness {

    /**
     * {@code [12345ms] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->40M(256M) 3.210ms}. The pause's name
     * may hold digits ("G1"): an earlier pattern that refused them read only Remark and Cleanup pauses.
     */
    static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) (Pause .*?) (\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

    private record Sample(
            double minute,
            Map<String, Double> heapAfterGcMb,
            Map<String, Double> rssMb,
            Map<String, Double> longestPauseMs,
            long routerLag,
            long publisherLag) {}

    private SoakHarness() {}

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("rate", 5000);
        int minutes = Integer.getInteger("minutes", 10);
        int writers = Integer.getInteger("writers", 8);
        int aggregates = Integer.getInteger("aggregates", 500);
        Path root = ProjectRoot.path();
        Path work = Report.runDirectory("soak");
        String prefix = "soak-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> watched = new ArrayList<>();
        for (int a = 0; a < 10; a++) {
            watched.add("private-audit-" + prefix + "-" + a);
            watched.add("private-fiche-" + prefix + "-" + a + "-f");
        }
        Soketi.ensureRunning();
        List<Sample> samples = new ArrayList<>();
        List<String> report = new ArrayList<>();
        try (ChannelAuthStandIn auth = ChannelAuthStandIn.forSoketi(null);
                PusherJsSubscriber browser =
                        PusherJsSubscriber.start(auth.url(), watched).awaitSubscribed(watched, Duration.ofMinutes(1));
                Pipeline pipeline = new Pipeline(
                                root,
                                work,
                                System.getProperty(
                                        "databaseUrl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"))
                        .pusher("127.0.0.1", Soketi.port(), Soketi.APP_ID, Soketi.KEY, Soketi.SECRET)
                        .gcLogs(true)) {
            pipeline.start();
            List<ServiceProcess> services =
                    List.of(pipeline.service("relay"), pipeline.service("router"), pipeline.service("publisher"));
            System.out.println("pipeline up; logs in " + work + "; soaking " + minutes + " min at " + rate + " rows/s");
            long start = System.nanoTime();
            Map<String, Integer> gcLinesRead = new HashMap<>();
            Thread sampler = new Thread(
                    () -> {
                        try (Admin admin = Admin.create(Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                pipeline.broker().bootstrap()))) {
                            while (!Thread.currentThread().isInterrupted()) {
                                Thread.sleep(10_000);
                                Sample s =
                                        sample((System.nanoTime() - start) / 60e9, services, work, gcLinesRead, admin);
                                synchronized (samples) {
                                    samples.add(s);
                                }
                                System.out.printf(
                                        "%5.1f min  heap after GC %s MB  RSS %s MB  lag router %d publisher %d%n",
                                        s.minute(), s.heapAfterGcMb(), s.rssMb(), s.routerLag(), s.publisherLag());
                            }
                        } catch (InterruptedException e) {
                            // the run is over
                        }
                    },
                    "soak-sampler");
            sampler.start();
            List<OutboxFeed.Row> rows = pipeline.write(prefix, aggregates, rate, Duration.ofMinutes(minutes), writers);
            double writtenPerSecond = rows.size() / ((System.nanoTime() - start) / 1e9);
            Set<String> ids = rows.stream().map(OutboxFeed.Row::eventId).collect(Collectors.toSet());
            Map<String, Integer> published = new HashMap<>();
            Awaitility.await("every event published")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> {
                        published.clear();
                        published.putAll(publishedReceipts(pipeline, ids));
                        return published.size() == ids.size();
                    });
            sampler.interrupt();
            sampler.join();
            long lost = ids.size() - published.size();
            long repeated = published.values().stream().filter(n -> n > 1).count();
            long watchedRows = rows.stream()
                    .filter(r -> watched.contains("private-audit-" + r.aggregate()))
                    .count();
            report.add(String.format(
                    "%,d rows in %d min (%,.0f rows/s written); published %,d, lost %d, published twice %d;"
                            + " the browser on ten aggregates' channels: %,d of %,d",
                    rows.size(),
                    minutes,
                    writtenPerSecond,
                    published.size(),
                    lost,
                    repeated,
                    browser.events().size(),
                    watchedRows * 2));
            report.addAll(summary(samples, services));
            plot(samples, services, work.resolve("soak.png"));
            report.add("plot: " + work.resolve("soak.png"));
        }
        report.forEach(System.out::println);
        Report.save(work, report);
        System.exit(0);
    }

    private static Sample sample(
            double minute, List<ServiceProcess> services, Path work, Map<String, Integer> gcLinesRead, Admin admin) {
        Map<String, Double> heap = new LinkedHashMap<>();
        Map<String, Double> rss = new LinkedHashMap<>();
        Map<String, Double> pause = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            rss.put(service.name(), service.rssBytes() / 1048576.0);
            double after = Double.NaN;
            double longest = 0;
            try {
                List<String> lines = Files.readAllLines(work.resolve(service.name() + "-gc.log"));
                int from = gcLinesRead.getOrDefault(service.name(), 0);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = PAUSE.matcher(lines.get(i));
                    if (m.find()) {
                        after = Double.parseDouble(m.group(3)); // the last collection's heap after, whenever it was
                        if (i >= from) {
                            longest = Math.max(longest, Double.parseDouble(m.group(5)));
                        }
                    }
                }
                gcLinesRead.put(service.name(), lines.size());
            } catch (IOException e) {
                // no collection yet
            }
            heap.put(service.name(), after);
            pause.put(service.name(), longest);
        }
        return new Sample(
                minute,
                heap,
                rss,
                pause,
                lag(admin, "switchboard-router", "realtime.events"),
                lag(admin, "switchboard-publisher", "realtime.publish"));
    }

    /** A group's committed offsets behind the topic's end, summed over partitions (-1 when it cannot be read). */
    private static long lag(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            committed.keySet().stream()
                    .filter(p -> p.topic().equals(topic))
                    .forEach(p -> ends.put(p, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
            return end.entrySet().stream()
                    .mapToLong(e ->
                            e.getValue().offset() - committed.get(e.getKey()).offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many PUBLISHED receipts the ledger holds for each of these event ids. */
    private static Map<String, Integer> publishedReceipts(Pipeline pipeline, Set<String> ids) {
        Map<String, Integer> published = new HashMap<>();
        AvroDeserializer<DeliveryReceipt> receipts = new AvroDeserializer<>(
                DeliveryReceipt.class, SchemaRegistry.forUrl(pipeline.registry().url()));
        TopicReading.readAll(pipeline.broker().bootstrap(), "realtime.ledger", r -> {
            DeliveryReceipt d = receipts.deserialize(r.topic(), r.value());
            if ("PUBLISHED".equals(d.getOutcome()) && ids.contains(d.getEventId())) {
                published.merge(d.getEventId(), 1, Integer::sum);
            }
        });
        return published;
    }

    /** Per service: heap after GC in the first and last thirds after the first minute, slope, RSS, pauses. */
    private static List<String> summary(List<Sample> samples, List<ServiceProcess> services) {
        List<String> lines = new ArrayList<>();
        lines.add("| service | heap after GC, first third (MB) | last third (MB) | slope (MB/min) | max heap after GC"
                + " | max RSS (MB) | longest GC pause (ms) |");
        lines.add("|---|---|---|---|---|---|---|");
        List<Sample> steady = samples.stream().filter(s -> s.minute() >= 1).toList();
        for (ServiceProcess service : services) {
            String name = service.name();
            double[] minutes = steady.stream().mapToDouble(Sample::minute).toArray();
            double[] heap = steady.stream()
                    .mapToDouble(s -> s.heapAfterGcMb().get(name))
                    .toArray();
            int third = Math.max(1, heap.length / 3);
            lines.add(String.format(
                    "| %s | %.0f | %.0f | %+.2f | %.0f | %.0f | %.0f |",
                    name,
                    mean(heap, 0, third),
                    mean(heap, heap.length - third, heap.length),
                    slope(minutes, heap),
                    java.util.Arrays.stream(heap)
                            .filter(h -> !Double.isNaN(h))
                            .max()
                            .orElse(0),
                    samples.stream().mapToDouble(s -> s.rssMb().get(name)).max().orElse(0),
                    samples.stream()
                            .mapToDouble(s -> s.longestPauseMs().get(name))
                            .max()
                            .orElse(0)));
        }
        lines.add(String.format(
                "largest consumer lag: router %,d, publisher %,d records",
                samples.stream().mapToLong(Sample::routerLag).max().orElse(0),
                samples.stream().mapToLong(Sample::publisherLag).max().orElse(0)));
        return lines;
    }

    private static double mean(double[] values, int from, int to) {
        return java.util.Arrays.stream(values, Math.max(0, from), Math.max(from, to))
                .filter(v -> !Double.isNaN(v))
                .average()
                .orElse(Double.NaN);
    }

    /** The least-squares slope of y over x, NaN points left out. */
    private static double slope(double[] x, double[] y) {
        double n = 0, sx = 0, sy = 0, sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(y[i])) {
                continue;
            }
            n++;
            sx += x[i];
            sy += y[i];
            sxy += x[i] * y[i];
            sxx += x[i] * x[i];
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    private static void plot(List<Sample> samples, List<ServiceProcess> services, Path png) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(600)
                .title("Soak: heap after GC and RSS per service")
                .xAxisTitle("minutes")
                .yAxisTitle("MB")
                .build();
        double[] minutes = samples.stream().mapToDouble(Sample::minute).toArray();
        for (ServiceProcess service : services) {
            String name = service.name();
            chart.addSeries(
                    name + " heap after GC",
                    minutes,
                    samples.stream()
                            .mapToDouble(s -> {
                                double h = s.heapAfterGcMb().get(name);
                                return Double.isNaN(h) ? 0 : h;
                            })
                            .toArray());
            chart.addSeries(
                    name + " RSS",
                    minutes,
                    samples.stream().mapToDouble(s -> s.rssMb().get(name)).toArray());
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
