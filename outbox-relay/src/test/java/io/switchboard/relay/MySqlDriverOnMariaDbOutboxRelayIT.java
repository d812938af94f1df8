package io.switchboard.relay;

import io.switchboard.testkit.TestDatabase;

/**
 * Every MariaDB test again, through MySQL's own JDBC driver (mysql-connector-j): the relay finds the dialect from the
 * driver's product name ("MySQL"), and Flyway picks its MySQL support from the URL. No MySQL server is available
 * on these machines, so MySQL proper is not tested here.
 */
class MySqlDriverOnMariaDbOutboxRelayIT extends MariaDbOutboxRelayIT {

    @Override
    protected String jdbcUrl(TestDatabase database) {
        return database.jdbcUrl().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
    }
}
