package dev.wharf.policy;

/** An IPv4 or IPv6 CIDR block from an {@code IpAddress} condition, parsed without any name lookup. */
final class IpRange {

    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a single address; null if invalid. */
    static IpRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
        if (address == null) {
            return null;
        }
        int prefixLength = address.length * 8;
        if (slash >= 0) {
            String digits = cidr.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefixLength = Integer.parseInt(digits);
            if (prefixLength > address.length * 8) {
                return null;
            }
        }
        for (int bit = prefixLength; bit < address.length * 8; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpRange(address, prefixLength);
    }

    /** Whether {@code address} (a textual IPv4 or IPv6 address) lies in this block. */
    boolean contains(String address) {
        byte[] bytes = parseAddress(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xFF << (8 - remainingBits)) & 0xFF;
        return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** 4 bytes for IPv4, 16 for IPv6, null if {@code text} is neither. */
    static byte[] parseAddress(String text) {
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        byte[] bytes = new byte[4];
        return parseIpv4(text, bytes, 0) ? bytes : null;
    }

    private static boolean parseIpv4(String text, byte[] into, int offset) {
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                into[offset + part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 3 || (digits > 0 && value == 0)) {
                    return false;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    private static byte[] parseIpv6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int headLength;
        int tailLength = 0;
        if (doubleColon < 0) {
            headLength = parseGroups(text, head);
            if (headLength != 16) {
                return null;
            }
            return head;
        }
        headLength = doubleColon == 0 ? 0 : parseGroups(text.substring(0, doubleColon), head);
        String rest = text.substring(doubleColon + 2);
        if (!rest.isEmpty()) {
            tailLength = parseGroups(rest, tail);
        }
        if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) {
            return null;
        }
        byte[] address = new byte[16];
        System.arraycopy(head, 0, address, 0, headLength);
        System.arraycopy(tail, 0, address, 16 - tailLength, tailLength);
        return address;
    }

    /** Parses colon-separated hex groups (the last may be dotted IPv4) into {@code into}; bytes written or -1. */
    private static int parseGroups(String text, byte[] into) {
        int length = 0;
        int start = 0;
        while (true) {
            int colon = text.indexOf(':', start);
            String group = colon < 0 ? text.substring(start) : text.substring(start, colon);
            if (colon < 0 && group.indexOf('.') >= 0) {
                if (length + 4 > 16 || !parseIpv4(group, into, length)) {
                    return -1;
                }
                return length + 4;
            }
            if (group.isEmpty() || group.length() > 4 || length + 2 > 16) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++) {
                int digit = Character.digit(group.charAt(i), 16);
                if (digit < 0) {
                    return -1;
                }
                value = value * 16 + digit;
            }
            into[length++] = (byte) (value >>> 8);
            into[length++] = (byte) value;
            if (colon < 0) {
                return length;
            }
            start = colon + 1;
        }
    }
}
