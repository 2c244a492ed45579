package org.prefopt.api.model;

/** One turn of a chat, as chat templates expect it ({@code role} is system, user or assistant). */
public record ChatMessage(String role, String content) {
}
