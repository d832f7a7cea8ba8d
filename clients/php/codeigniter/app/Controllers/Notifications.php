<?php

declare(strict_types=1);

namespace App\Controllers;

use CodeIgniter\HTTP\ResponseInterface;
use Herald\HeraldClient;
use Herald\HeraldException;

/**
 * A CodeIgniter 4 controller that talks to Herald. Copy src/HeraldClient.php into app/Libraries/
 * (or autoload it), set HERALD_PRODUCER_URL and HERALD_API_KEY in .env, and add routes:
 *
 *   $routes->post('orders/(:num)/shipped', 'Notifications::orderShipped/$1');
 *   $routes->get('herald/token', 'Notifications::token');
 */
class Notifications extends BaseController
{
    private HeraldClient $herald;

    public function __construct()
    {
        $this->herald = new HeraldClient(env('HERALD_PRODUCER_URL', 'http://localhost:8080'), (string) env('HERALD_API_KEY'));
    }

    /** Tells the order's owner it shipped. Retrying this request never notifies twice (same Idempotency-Key). */
    public function orderShipped(int $orderId): ResponseInterface
    {
        $order = model('OrderModel')->find($orderId);
        if ($order === null) {
            return $this->response->setStatusCode(404);
        }
        try {
            $sent = $this->herald->notify(
                (string) $order['user_id'],
                'order.shipped',
                'Your order shipped',
                "Order {$orderId} is on its way",
                ['orderId' => $orderId],
                "order-{$orderId}-shipped",
            );
        } catch (HeraldException $e) {
            log_message('error', 'Herald refused a notification: {status}', ['status' => $e->status]);
            return $this->response->setStatusCode($e->status === 503 ? 503 : 502);
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
        return $this->response->setJSON($this->herald->mintToken((string) $userId, 3600));
    }
}
