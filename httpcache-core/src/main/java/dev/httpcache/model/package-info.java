/** TODO */
@NullMarked
package dev.httpcache.model;

import org.jspecify.annotations.NullMarked;
