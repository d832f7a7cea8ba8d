<?php

namespace App\Controllers;

use CodeIgniter\HTTP\ResponseInterface;
use Herald\Webhook;
use Herald\WebhookException;

/**
 * Herald's receipt alerts (notification-store's herald.store.receipts.webhook.url points here):
 * a notification was not delivered within N seconds, or not seen within M minutes, so the user
 * gets an e-mail instead. Herald retries until it gets a 2xx, so the same alert may come twice:
 * its deliveryId is handled once.
 */
class HeraldReceipts extends BaseController
{
    public function alert(): ResponseInterface
    {
        try {
            $alert = Webhook::verify(
                (string) $this->request->getBody(),
                $this->request->getHeaderLine(Webhook::SIGNATURE_HEADER),
                config('Herald')->webhookSecret,
            );
        } catch (WebhookException $e) {
            return $this->response->setStatusCode(400)->setBody($e->getMessage());
        }
        if (!$this->firstTime($alert['deliveryId'])) {
            return $this->response->setStatusCode(204); // handled before: Herald's retry
        }
        // The app's own fallback goes here, e.g.:
        // service('email')->setTo($usersEmail)->setSubject($alert['title'])->setMessage(...)->send();
        log_message('info', 'Herald alert {kind} for {userId}: {eventId}', $alert);
        return $this->response->setStatusCode(204);
    }

    /**
     * Records the delivery id; false when it was recorded already. Here a file per id (created only
     * if absent); an app would insert into a table with a unique key on delivery_id.
     */
    private function firstTime(string $deliveryId): bool
    {
        $dir = WRITEPATH . 'herald-alerts';
        if (!is_dir($dir)) {
            mkdir($dir, 0775, true);
        }
        $file = @fopen($dir . '/' . preg_replace('/[^A-Za-z0-9-]/', '', $deliveryId) . '.json', 'x');
        if ($file === false) {
            return false;
        }
        fwrite($file, (string) $this->request->getBody());
        fclose($file);
        return true;
    }
}
