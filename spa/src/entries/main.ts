import { createApp } from 'vue';
import '../styles/base.css';
import MainView from '../views/MainView.vue';

createApp(MainView).mount('#app');
