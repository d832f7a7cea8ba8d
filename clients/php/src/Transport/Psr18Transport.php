<?php

declare(strict_types=1);

namespace Herald\Transport;

use Herald\TransportException;
use Psr\Http\Client\ClientExceptionInterface;
use Psr\Http\Client\ClientInterface;
use Psr\Http\Message\RequestFactoryInterface;
use Psr\Http\Message\StreamFactoryInterface;

/**
 * Sends through your PSR-18 client (Guzzle, Symfony HttpClient, …), for applications that already
 * configure one (proxies, TLS, logging). Only loaded when you construct it: the package itself
 * needs no PSR packages. Timeouts are then your client's settings.
 */
final class Psr18Transport implements Transport
{
    public function __construct(
        private readonly ClientInterface $client,
        private readonly RequestFactoryInterface $requests,
        private readonly StreamFactoryInterface $streams,
    ) {
    }

    public function send(Request $request): Response
    {
        $psrRequest = $this->requests->createRequest($request->method, $request->url);
        foreach ($request->headers as $name => $value) {
            $psrRequest = $psrRequest->withHeader($name, $value);
        }
        if ($request->body !== null) {
            $psrRequest = $psrRequest->withBody($this->streams->createStream($request->body));
        }
        try {
            $answer = $this->client->sendRequest($psrRequest);
        } catch (ClientExceptionInterface $e) {
            // PSR-18: a client throws only when no response came back; an error status is a response.
            throw new TransportException(
                sprintf('Herald could not be reached at %s %s: %s', $request->method, $request->url, $e->getMessage()),
                previous: $e,
            );
        }
        $headers = [];
        foreach ($answer->getHeaders() as $name => $values) {
            $headers[$name] = implode(', ', $values);
        }
        return new Response($answer->getStatusCode(), $headers, (string) $answer->getBody());
    }
}
