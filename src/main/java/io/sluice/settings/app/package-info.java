/** The settings store (key/value rows shared by all nodes). */
package io.sluice.settings.app;
