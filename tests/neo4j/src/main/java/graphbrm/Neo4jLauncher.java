package graphbrm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts a Neo4j Community DBMS with Bolt on 127.0.0.1:PORT and its files in DIR, prints
 * "ready PORT" when it answers, and shuts down cleanly on SIGTERM or when stdin closes
 * (so a test run that dies never leaves a server behind).
 *
 * Usage: java -cp CLASSPATH graphbrm.Neo4jLauncher DIR PORT
 */
public final class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(120))
                // One transaction above this is stopped (as docker-compose.yml sets it).
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, 512L * 1024 * 1024)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("ready " + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for the parent to close our stdin (it died or is done).
        }
        System.exit(0);
    }
}
