<?php
/*
 * The e2e IdP itself. Its entityID is the metadata URL
 * (http://127.0.0.1:<port>/saml2/idp/metadata.php), derived from baseurlpath.
 */
$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    // Relative to certdir; a fresh pair is made by e2e/idp/setup.ts on every run.
    'privatekey' => 'idp.key',
    'certificate' => 'idp.crt',
    'auth' => 'e2e-userpass',
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
];
