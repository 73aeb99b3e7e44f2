package dev.wharf.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "10.1.2.3/8, 10.9.9.9, true",
        "0.0.0.0/0, 198.51.100.1, true",
        "192.0.2.128/25, 192.0.2.127, false",
        "192.0.2.128/25, 192.0.2.200, true",
        "192.0.2.1, 192.0.2.1, true",
        "2001:db8::/32, 2001:db8:ffff:1::9, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::/0, ::1, true",
        "::1/128, 0:0:0:0:0:0:0:1, true",
        "2001:db8::/127, 2001:db8::1, true",
        "2001:db8::/127, 2001:db8::2, false",
        "::ffff:192.0.2.0/120, ::ffff:192.0.2.99, true",
        "2001:db8::/32, 192.0.2.1, false",
        "10.0.0.0/8, ::ffff:10.0.0.1, false",
        "10.0.0.0/8, not-an-address, false",
        "10.0.0.0/8, 10.0.0, false",
        "10.0.0.0/8, 10.0.0.256, false"
    })
    void decidesWhetherABlockContainsAnAddress(String block, String address, boolean contained) {
        assertThat(IpRange.parse(block).contains(address)).isEqualTo(contained);
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {
        "", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "1:2:3:4:5:6:7:8:9",
        "2001:db8::1::2", "2001:db8::/129", "12345::", "fe80::1%eth0", "localhost"
    })
    void refusesWhatIsNotAnAddressOrBlock(String text) {
        assertThat(IpRange.parse(text)).isNull();
    }
}
