<?php

namespace App\Controllers;

/** The test page: a user's inbox through the herald_inbox() view helper. */
class HeraldInbox extends BaseController
{
    public function show(string $userId): string
    {
        helper('herald');
        return view('herald_inbox', ['userId' => $userId]);
    }
}
