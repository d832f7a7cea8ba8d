package dev.herald.all;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.herald.gateway.PushGatewayApplication;
import dev.herald.store.NotificationStoreApplication;

class PlanTests {

    @Test
    void startsTheStoreThenProducerApiThenTwoGatewaysByDefault() {
        Plan plan = Plan.parse();

        assertThat(plan.parts()).extracting(Plan.Part::name).containsExactly("notification-store", "producer-api", "gateway-1", "gateway-2");
        assertThat(plan.parts().get(0).application()).isEqualTo(NotificationStoreApplication.class);
        assertThat(plan.parts().get(0).configName()).isEqualTo(NotificationStoreApplication.CONFIG_NAME);
        assertThat(plan.parts().get(3).configName()).isEqualTo(PushGatewayApplication.CONFIG_NAME);
        assertThat(plan.parallel()).isTrue();
        assertThat(plan.storeThreadPriority()).isEqualTo(Thread.NORM_PRIORITY);
    }

    @Test
    void givesAPrefixedSettingToItsServiceOnlyAndACommonOneToAll() {
        Plan plan = Plan.parse("--spring.kafka.bootstrap-servers=127.0.0.1:9", "--gateway-2.server.port=8083",
                "--notification-store.spring.datasource.url=jdbc:h2:mem:x");

        assertThat(plan.parts().get(0).args()).containsExactly("--spring.kafka.bootstrap-servers=127.0.0.1:9",
                "--spring.datasource.url=jdbc:h2:mem:x");
        assertThat(plan.parts().get(2).args()).containsExactly("--spring.kafka.bootstrap-servers=127.0.0.1:9");
        assertThat(plan.parts().get(3).args()).containsExactly("--spring.kafka.bootstrap-servers=127.0.0.1:9", "--server.port=8083");
    }

    @Test
    void aServicesOwnSettingReplacesTheCommonOneInsteadOfBeingJoinedToIt() {
        // Spring would read two --server.port options as "1,2".
        Plan plan = Plan.parse("--server.port=0", "--producer-api.server.port=8080");

        assertThat(plan.parts().get(1).args()).containsExactly("--server.port=8080");
        assertThat(plan.parts().get(0).args()).containsExactly("--server.port=0");
    }

    @Test
    void readsTheLaunchersOwnOptionsAndPassesThemToNoService() {
        Plan plan = Plan.parse("--gateways=1", "--start=sequential", "--store-thread-priority=1");

        assertThat(plan.parts()).extracting(Plan.Part::name).containsExactly("notification-store", "producer-api", "gateway-1");
        assertThat(plan.parallel()).isFalse();
        assertThat(plan.storeThreadPriority()).isEqualTo(1);
        assertThat(plan.parts()).allSatisfy(part -> assertThat(part.args()).isEmpty());
    }

    @Test
    void refusesSettingsForAGatewayThatIsNotStarted() {
        assertThatThrownBy(() -> Plan.parse("--gateways=1", "--gateway-2.server.port=8083"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("settings for gateway-2, which is not started (--gateways=1)");
    }

    @Test
    void refusesWhatIsNotAnOptionAndOutOfRangeValuesNamingThem() {
        assertThatThrownBy(() -> Plan.parse("server.port=1")).hasMessageContaining("'server.port=1' is not of the form");
        assertThatThrownBy(() -> Plan.parse("--gateways=x")).hasMessage("--gateways must be a number from 0 to 16, not 'x'");
        assertThatThrownBy(() -> Plan.parse("--store-thread-priority=11"))
                .hasMessage("--store-thread-priority must be a number from 1 to 10, not '11'");
        assertThatThrownBy(() -> Plan.parse("--start=later")).hasMessage("--start must be parallel or sequential, not 'later'");
    }

    @Test
    void aPropertyThatOnlyLooksLikeAGatewayPrefixIsCommon() {
        Plan plan = Plan.parse("--gateway-x.y=1");

        assertThat(plan.parts()).allSatisfy(part -> assertThat(part.args()).containsExactly("--gateway-x.y=1"));
    }
}
