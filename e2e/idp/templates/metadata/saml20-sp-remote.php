<?php
/*
 * Jetway as the service provider (values from ../e2e.json).
 */
$e2e = json_decode(file_get_contents(__DIR__ . '/../e2e.json'), true, 512, JSON_THROW_ON_ERROR);

$metadata[$e2e['sp']['entityId']] = [
    'AssertionConsumerService' => [
        [
            'Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
            'Location' => $e2e['sp']['acsUrl'],
            'index' => 0,
        ],
    ],
    // node-saml asks for emailAddress by default; take it from the email attribute.
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'simplesaml.nameidattribute' => 'email',
    // Plain attribute names (groups, email, displayName), as Okta and Google send them.
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    'saml20.sign.assertion' => true,
    'saml20.sign.response' => true,
];
