"""Insights: trends, key drivers, shrinkage, alerts, anomaly detection and notifications."""
