/**
 * The framework examples of docs/integrations.md, each run as a test against a real local origin;
 * the documented snippet is the code between a test's markers, character for character.
 */
@NullMarked
package dev.httpcache.examples;

import org.jspecify.annotations.NullMarked;
