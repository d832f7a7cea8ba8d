<?php

declare(strict_types=1);

namespace Herald\Transport;

use Herald\TransportException;

/** The default transport: ext-curl, no dependencies. */
final class CurlTransport implements Transport
{
    public function __construct(
        private readonly float $timeoutSeconds = 10.0,
        private readonly float $connectTimeoutSeconds = 5.0,
    ) {
    }

    public function send(Request $request): Response
    {
        $curl = curl_init($request->url);
        $headers = [];
        foreach ($request->headers as $name => $value) {
            $headers[] = $name . ': ' . $value;
        }
        $responseHeaders = [];
        $options = [
            CURLOPT_CUSTOMREQUEST => $request->method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT_MS => (int) ceil($this->timeoutSeconds * 1000),
            CURLOPT_CONNECTTIMEOUT_MS => (int) ceil($this->connectTimeoutSeconds * 1000),
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$responseHeaders): int {
                if (str_starts_with($line, 'HTTP/')) {
                    $responseHeaders = []; // a new response (after 100 Continue): only the last one counts
                }
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $responseHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ];
        if ($request->body !== null) {
            $options[CURLOPT_POSTFIELDS] = $request->body;
        }
        curl_setopt_array($curl, $options);
        $body = curl_exec($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $error = curl_error($curl);
        $errno = curl_errno($curl);
        curl_close($curl);
        if ($body === false || $status === 0) {
            throw new TransportException(
                sprintf('Herald could not be reached at %s %s: %s', $request->method, $request->url, $error ?: 'no response'),
                timedOut: $errno === CURLE_OPERATION_TIMEDOUT,
            );
        }
        return new Response($status, $responseHeaders, (string) $body);
    }
}
