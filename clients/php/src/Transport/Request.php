<?php

declare(strict_types=1);

namespace Herald\Transport;

/** One HTTP request to Herald, as the client built it: a transport sends it as it is. */
final class Request
{
    /** @param array<string, string> $headers header name => value */
    public function __construct(
        public readonly string $method,
        public readonly string $url,
        public readonly array $headers = [],
        public readonly ?string $body = null,
    ) {
    }

    public function header(string $name): ?string
    {
        foreach ($this->headers as $key => $value) {
            if (strcasecmp($key, $name) === 0) {
                return $value;
            }
        }
        return null;
    }
}
