<?php

declare(strict_types=1);

namespace App\Controllers;

use CodeIgniter\HTTP\ResponseInterface;
use Herald\HeraldException;
use Herald\UnavailableException;
use Herald\ValidationException;

/**
 * A CodeIgniter 4 controller that talks to Herald through service('herald') (herald/herald-php,
 * discovered from Composer; configure it in .env as herald.producerUrl, herald.storeUrl,
 * herald.gatewayUrl and herald.apiKey). Routes:
 *
 *   $routes->post('orders/(:num)/shipped', 'Notifications::orderShipped/$1');
 *   $routes->get('herald/token', 'Notifications::token');
 *   $routes->get('herald/unread', 'Notifications::unread');
 *
 * A view shows the signed-in user's inbox with <?= herald_inbox() ?> after helper('herald').
 */
class Notifications extends BaseController
{
    /** Tells the order's owner it shipped. Retrying this request never notifies twice (same Idempotency-Key). */
    public function orderShipped(int $orderId): ResponseInterface
    {
        $order = model('OrderModel')->find($orderId);
        if ($order === null) {
            return $this->response->setStatusCode(404);
        }
        try {
            $sent = service('herald')->notify(
                (string) $order['user_id'],
                'order.shipped',
                'Your order shipped',
                "Order {$orderId} is on its way",
                ['orderId' => $orderId],
                "order-{$orderId}-shipped",
            );
        } catch (UnavailableException $e) {
            // Already retried with the same key; the caller may retry later, still without duplicates.
            return $this->response->setStatusCode(503)->setHeader('Retry-After', (string) ($e->retryAfter ?? 5));
        } catch (ValidationException $e) {
            log_message('error', 'Herald refused a notification: {fields}', ['fields' => json_encode($e->fieldErrors())]);
            return $this->response->setStatusCode(500);
        } catch (HeraldException $e) {
            log_message('error', 'Herald failed ({status}): {message}', ['status' => $e->status, 'message' => $e->getMessage()]);
            return $this->response->setStatusCode(502);
        }
        return $this->response->setJSON(['notified' => $sent]);
    }

    /** The signed-in user's token for the Herald browser SDK: the page never sees the API key. */
    public function token(): ResponseInterface
    {
        $userId = session('user_id');
        if ($userId === null) {
            return $this->response->setStatusCode(401);
        }
        return $this->response->setJSON(service('herald')->mintToken((string) $userId, 3600, ['system']));
    }

    /** The signed-in user's unread count, read by the backend with the API key (scope read). */
    public function unread(): ResponseInterface
    {
        $userId = session('user_id');
        if ($userId === null) {
            return $this->response->setStatusCode(401);
        }
        return $this->response->setJSON(['unread' => service('herald')->unreadCount((string) $userId)]);
    }
}
